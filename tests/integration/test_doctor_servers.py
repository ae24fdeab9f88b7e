"""`cortexreel doctor` against real servers (MongoDB wire server, Redis, S3) and with a server down."""

from __future__ import annotations

import json

import pytest

from cortexreel.cli import main
from tests import servers


def test_servers(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    mongo_wire_uri: str,
    s3_server: servers.S3Server,
) -> None:
    monkeypatch.setenv("CORTEXREEL_MONGODB_URI", mongo_wire_uri)
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", servers.redis_url())
    monkeypatch.setenv("CORTEXREEL_S3_ENDPOINT", s3_server.endpoint)
    monkeypatch.setenv("CORTEXREEL_S3_ACCESS_KEY", s3_server.access_key)
    monkeypatch.setenv("CORTEXREEL_S3_SECRET_KEY", s3_server.secret_key)
    monkeypatch.setenv("CORTEXREEL_S3_SECURE", "false")
    code = main(["doctor", "--json"])
    report = {item["port"]: item for item in json.loads(capsys.readouterr().out)["backends"]}
    assert code == 0, report
    assert [report[port]["adapter"] for port in ("documents", "blobs", "tasks")] == ["mongodb", "s3", "rq"]
    assert all(report[port]["server"] and report[port]["ok"] for port in ("documents", "blobs", "tasks"))


def test_a_server_that_is_down_fails_with_the_reason(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", f"redis://127.0.0.1:{servers.free_port()}/0")
    code = main(["doctor"])
    output = capsys.readouterr().out
    assert code == 1
    assert "DOWN tasks" in output
    assert "not reachable" in output
    assert "ok   documents" in output


def test_passwords_never_printed(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", f"redis://:hunter2-secret@127.0.0.1:{servers.free_port()}/0")
    main(["doctor"])
    captured = capsys.readouterr()
    assert "hunter2-secret" not in captured.out + captured.err
    assert "***" in captured.out
