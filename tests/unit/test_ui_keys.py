"""Every session-state and widget key is named in cortexreel/ui/state.py: the pages, app.py and the rest of
cortexreel/ui write none out in place (a key typed twice drifts apart, and the UI tests find widgets by it)."""

from __future__ import annotations

import ast
from pathlib import Path

import cortexreel

REPO = Path(cortexreel.__file__).resolve().parents[1]
STATE = REPO / "cortexreel" / "ui" / "state.py"
SESSION_METHODS = {"get", "pop", "setdefault"}


def written_out(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def is_session_state(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def keys_written_out(source: str) -> list[tuple[int, str]]:
    """(line, what) of every key written out in place: `key="…"`, `form("…")`, `session_state["…"]` and
    `session_state.get/pop/setdefault("…")`, f-strings included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            if any(keyword.arg == "key" and written_out(keyword.value) for keyword in node.keywords):
                found.append((node.lineno, "key="))
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else ""
            on_session = isinstance(function, ast.Attribute) and is_session_state(function.value)
            if (name == "form" or (on_session and name in SESSION_METHODS)) and node.args and written_out(node.args[0]):
                found.append((node.lineno, name))
        elif isinstance(node, ast.Subscript) and is_session_state(node.value) and written_out(node.slice):
            found.append((node.lineno, "session_state[]"))
    return sorted(found)


def test_no_page_writes_a_key_out_in_place() -> None:
    files = [REPO / "app.py", *(REPO / "pages").glob("*.py"), *(REPO / "cortexreel" / "ui").glob("*.py")]
    assert len(files) > 10
    found = {
        str(path.relative_to(REPO)): places
        for path in files
        if path != STATE and (places := keys_written_out(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_sees_each_way_of_writing_a_key() -> None:
    source = (
        'st.button("Go", key="go")\n'
        'with st.form(f"form-{n}"):\n'
        "    pass\n"
        'st.session_state["seen"] = 1\n'
        'st.session_state.get(f"note-{n}")\n'
        "st.button('Go', key=state.GO)\n"
        "st.session_state[state.SEEN] = st.session_state.pop(state.NOTE, None)\n"
    )
    assert keys_written_out(source) == [(1, "key="), (2, "form"), (4, "session_state[]"), (5, "get")]
