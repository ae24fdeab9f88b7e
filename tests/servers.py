"""Servers the tests start or find: the MongoDB wire server, an S3 server, Redis, and real servers by URL.

A server this machine can run but that is not available skips its tests with the reason, unless
CORTEXREEL_TEST_STRICT=1 (set by .ci/run), which turns that into a failure. Real servers given by URL
(CORTEXREEL_TEST_MONGODB_URI, CORTEXREEL_TEST_S3_ENDPOINT, CORTEXREEL_TEST_WEAVIATE_URL) are skipped, loudly,
when the variable is unset.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

STRICT = os.environ.get("CORTEXREEL_TEST_STRICT") == "1"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def unavailable(reason: str) -> None:
    """Skip (or, in strict mode, fail) because a server that should run here does not."""
    if STRICT:
        pytest.fail(f"{reason} (CORTEXREEL_TEST_STRICT=1 requires it)")
    pytest.skip(reason)


def not_configured(variable: str, what: str) -> None:
    pytest.skip(f"{what}: set {variable} to run these tests against a real server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float = 90.0) -> None:
    """Poll `condition` until it holds; fail the test when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def wait_for_port(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    secure: bool


def mongo_wire_server(data_dir: Path) -> Iterator[str]:
    """Start `nx-27017` (MongoDB wire protocol over SQLite) on a free loopback port."""
    executable = shutil.which("nx-27017") or str(Path(sys.executable).parent / "nx-27017")
    if not Path(executable).exists():
        unavailable("the MongoDB wire server nx-27017 is not installed")
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            executable,
            "--data-dir",
            str(data_dir),
            "--host",
            "127.0.0.1",
            "-p",
            str(port),
            "--log-file",
            str(data_dir / "server.log"),
            "--pid-file",
            str(data_dir / "server.pid"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for_port(port):
            unavailable(f"nx-27017 did not start listening on port {port}")
        yield f"mongodb://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def moto_s3_server() -> Iterator[S3Server]:
    """Start moto's S3 server on a free loopback port."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        unavailable("moto[server] is not installed")
        raise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        if not wait_for_port(port):
            unavailable(f"moto's S3 server did not start on port {port}")
        yield S3Server(f"127.0.0.1:{port}", "testing", "testing-secret", secure=False)
    finally:
        server.stop()


def redis_url() -> str:
    """The Redis the task tests use (flushed before and after), checked to answer."""
    url = os.environ.get("CORTEXREEL_TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        unavailable(f"Redis at {url} is not reachable: {error}")
    finally:
        client.close()
    return url


def mongo_uri(request: pytest.FixtureRequest, kind: str) -> str:
    """The MongoDB for a contract run: the wire server started here, or the real one given by URL."""
    if kind == "mongo-wire":
        return str(request.getfixturevalue("mongo_wire_uri"))
    uri = os.environ.get("CORTEXREEL_TEST_MONGODB_URI", "")
    if not uri:
        not_configured("CORTEXREEL_TEST_MONGODB_URI", "real MongoDB contract run skipped")
    return uri
