"""The import structure of the package, read from the source: every `import` counts, at module level or inside a
function, so a circle cannot hide behind a lazy import.

Floors, from the ground up: what every layer may use (errors, domain, markup); settings and ports; the parts that
do one job each (parsing, analysis, chat, search, adapters, the container and the task registry); the use cases
(services, migration); and on the top floor the entry points and the composition root. An arrow may run sideways or
down, never up, and nothing runs in a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cortexreel"

# Module-name prefixes per floor.
TOP = ("cortexreel.bootstrap", "cortexreel.cli", "cortexreel.ui", "cortexreel.web", "cortexreel.__main__")
FLOORS: tuple[tuple[str, ...], ...] = (
    ("cortexreel.errors", "cortexreel.domain", "cortexreel.markup"),
    ("cortexreel.config", "cortexreel.ports"),
    (
        "cortexreel.container",
        "cortexreel.task_registry",
        "cortexreel.parsing",
        "cortexreel.analysis",
        "cortexreel.chat",
        "cortexreel.search",
        "cortexreel.scheduling",
        "cortexreel.rendering",
        "cortexreel.adapters",
    ),
    ("cortexreel.services", "cortexreel.migration"),
)


def floor_of(module: str) -> int:
    if module == "cortexreel":  # the package itself holds only its version
        return 0
    if _starts_with_any(module, TOP):
        return len(FLOORS)
    for number, prefixes in enumerate(FLOORS):
        if _starts_with_any(module, prefixes):
            return number
    raise AssertionError(f"{module} is on no floor: add it to tests/unit/test_architecture.py")


def _starts_with_any(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("cortexreel"):
                yield target


@cache
def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imports(name, path, known)) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_reader_finds_lazy_imports_and_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert "cortexreel.services.search" in import_graph()["cortexreel.services.chat"]  # imported inside a function


def test_no_module_imports_itself_back_in_a_circle() -> None:
    assert circles(import_graph()) == []


def test_no_arrow_runs_up_a_floor() -> None:
    upward = [
        f"{module} (floor {floor_of(module)}) imports {target} (floor {floor_of(target)})"
        for module, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if floor_of(target) > floor_of(module)
    ]
    assert upward == []
