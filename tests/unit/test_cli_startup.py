"""What a fresh `python -m cortexreel` process imports: `parse` and `--help` must not pay for the rest of the app.

Start-up is most of a one-file parse's wall time, and each of these packages costs tens to hundreds of
milliseconds to import, so this is checked by behaviour (which modules a real process loads), not by a clock.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cortexreel
from cortexreel.parsing.fountain import parse_fountain
from tests.builders import fountain_script
from tests.parsing_helpers import render_pdf

REPO = Path(cortexreel.__file__).resolve().parents[1]

# Libraries of the app, the workers and the backends; none is needed to parse a file or to print the help.
HEAVY = (
    "streamlit",
    "langchain",
    "langchain_core",
    "langchain_openai",
    "langsmith",
    "openai",
    "numpy",
    "pandas",
    "onnxruntime",
    "tokenizers",
    "redis",
    "rq",
    "pymongo",
    "boto3",
    "botocore",
    "weaviate",
)
# Our own modules that reach for those libraries or the backends: `parse` stores nothing and builds no Services.
BACKEND_SIDE = ("cortexreel.bootstrap", "cortexreel.adapters", "cortexreel.services", "cortexreel.analysis")


def run_cli(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the CLI in a fresh interpreter; return the result and the name of every module it imported."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cortexreel", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    modules = {
        line.split("|")[2].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2 and "imported package" not in line
    }
    return result, modules


def unwanted(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(name for name in modules if any(name == p or name.startswith(p + ".") for p in prefixes))


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "fish.pdf"
    path.write_bytes(render_pdf(parse_fountain(fountain_script(4))))
    return path


def test_parse_imports_neither_the_app_nor_the_backends(small_pdf: Path, tmp_path: Path) -> None:
    result, modules = run_cli("parse", str(small_pdf), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    parsed = json.loads(result.stdout)
    assert "EXT. RIVER BANK - DAY" in [scene["heading"] for scene in parsed["scenes"]]
    assert "pymupdf" in modules  # the trace is read right: the PDF library is there
    assert unwanted(modules, HEAVY) == []
    assert unwanted(modules, BACKEND_SIDE) == []
    assert not (tmp_path / "data").exists()  # nothing stored, not even an empty library


def test_help_lists_every_command_without_importing_them(tmp_path: Path) -> None:
    result, modules = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    commands = [
        "doctor", "parse", "ingest", "status", "scenes", "chat", "history", "revert", "search",
        "import-cortexreel", "scripts", "backup", "restore", "migrate", "users", "schedule", "dood", "export",
    ]
    assert re.findall(r"^ {4}(\S+)", result.stdout, re.MULTILINE) == commands  # one line per command
    assert unwanted(modules, HEAVY) == []
    assert unwanted(modules, (*BACKEND_SIDE, "cortexreel.parsing", "pymupdf")) == []
