"""Set-up and run on a fresh machine with nothing but Python 3.11.

    python3 dev.py app    install into .venv (first time) and start the app on embedded defaults
    python3 dev.py test   install the test tools into .venv and run lint, types and the whole test suite

Extra arguments after `test` go to pytest (e.g. `python3 dev.py test tests/unit -x`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def ensure_environment(requirements: str) -> None:
    """Create .venv and install `requirements` into it, skipping the install when nothing changed."""
    if not PYTHON.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / requirements, ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    fingerprint = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    print(f"Installing {requirements} into {VENV} ...", flush=True)
    run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(ROOT / requirements), "-e", str(ROOT)])
    stamp.write_text(fingerprint)


def run(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def app(extra: list[str]) -> None:
    ensure_environment("requirements.txt")
    os.chdir(ROOT)  # the data folder (./data by default) and .env are the project's, wherever this is run from
    # server.py serves app.py plus the login routes (cortexreel/web.py). Only this machine can reach it unless an
    # address is given: with accounts off every visitor is the admin.
    address = [] if any(arg.startswith("--server.address") for arg in extra) else ["--server.address", "127.0.0.1"]
    os.execv(str(PYTHON), [str(PYTHON), "-m", "streamlit", "run", str(ROOT / "server.py"), *address, *extra])


def test(extra: list[str]) -> None:
    ensure_environment("requirements-dev.txt")
    run([str(PYTHON), "-m", "ruff", "check", "."])
    run([str(PYTHON), "-m", "mypy"])
    run([str(PYTHON), "-m", "pytest", *extra])


def main() -> None:
    commands = {"app": app, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
