"""Unit tests open no network connection: not to Redis, not to a server on loopback, not to the internet.

A test that needs a server belongs in tests/integration (or tests/contract, for a port's adapters). Local pipes
and Unix sockets (a subprocess, the sandboxed parse child) are allowed; only internet-family sockets are refused.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

_UNIX = getattr(socket, "AF_UNIX", None)


class NetworkInUnitTestError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def refuse(sock: socket.socket, address: object) -> None:
        if sock.family != _UNIX:
            raise NetworkInUnitTestError(
                f"a unit test tried to connect to {address!r}; move it to tests/integration or use a fake"
            )

    def connect(sock: socket.socket, address: object) -> None:
        refuse(sock, address)
        real_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        refuse(sock, address)
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield
