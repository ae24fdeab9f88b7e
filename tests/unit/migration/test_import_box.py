"""The import box, run in Streamlit's AppTest: preview by dry run, import on the button, errors shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cortexreel.migration.browser_export import script_id_for
from cortexreel.ui.services import get_services
from cortexreel.ui.state import IMPORT_BUTTON, IMPORT_TEXT
from tests import migration_builders as export
from tests.texts import shown


def box_page() -> None:
    from cortexreel.ui.importer import import_box

    import_box()


@pytest.fixture(autouse=True)
def fresh_caches(isolated_environment: Path) -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_paste_preview_and_import() -> None:
    app = AppTest.from_function(box_page, default_timeout=60).run()
    assert not app.exception
    app.text_area(key=IMPORT_TEXT).set_value(export.export_bytes().decode("utf-8")).run()
    assert not app.exception
    preview = app.dataframe[0].value
    assert list(preview["Title"]) == ["Night Shift", "Ostatni dzień lata", "Draft zero"]
    assert set(preview["Status"]) == {"would import"}
    assert get_services().documents.list_scripts() == []  # the preview wrote nothing

    app.button(key=IMPORT_BUTTON).click().run()
    assert not app.exception
    assert "Imported 3 script(s)" in shown(app.success[0])
    assert get_services().documents.get_script(script_id_for("local", export.LATO)) is not None
    assert "already in your library" in shown(app.info[0])


def test_a_truncated_paste_is_explained() -> None:
    app = AppTest.from_function(box_page, default_timeout=60).run()
    app.text_area(key=IMPORT_TEXT).set_value(export.truncated_bytes(4000).decode("utf-8", "ignore")).run()
    assert "line 1, column" in shown(app.error[0])
    assert get_services().documents.list_scripts() == []
