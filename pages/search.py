"""Search: find scenes by meaning and by words across the scripts you can see, narrowed by scene facts."""

from __future__ import annotations

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services import search
from cortexreel.ui import state
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_page
from cortexreel.ui.pages import scene_address
from cortexreel.ui.widgets import search_catching_up

page = open_page()  # first of all (see cortexreel/ui/guard.py)
services, user = page.services, page.user

ANY = "Any"

st.title("Search")
st.caption("Describe what happens (“the father lies to his son”) or name things (“night car chase”).")

with shown_errors():
    scripts = search.visible_scripts(services, user)

if not scripts:
    st.info("There is nothing to search yet. Upload a screenplay first.")
    st.stop()

titles = {script.id: script.title for script in scripts}
if catching_up := [script for script in scripts if script.indexing]:
    st.info(search_catching_up(catching_up), icon=":material/hourglass_top:")
query = st.text_input("Search scenes", key=state.SEARCH_QUERY, placeholder="night exteriors with a car chase")
with st.expander("Filters", expanded=False):
    chosen = st.multiselect(
        "Scripts", options=list(titles), format_func=lambda sid: titles[sid], key=state.SEARCH_SCRIPTS
    )
    with shown_errors():
        options = search.filter_options(services, user, chosen or None)
    choices = {
        "setting": options.settings,
        "time_of_day": options.times_of_day,
        "location": options.locations,
        "character": options.characters,
        "risk_level": options.risk_levels,
        "emotional_tone": options.emotional_tones,
    }
    labels = {
        "setting": "INT / EXT",
        "time_of_day": "Time of day",
        "location": "Location",
        "character": "Character",
        "risk_level": "Risk level",
        "emotional_tone": "Emotional tone",
    }
    columns = st.columns(3)
    picked: dict[str, str | None] = {}
    for position, (name, values) in enumerate(choices.items()):
        with columns[position % 3]:
            value = st.selectbox(labels[name], [ANY, *values], key=state.SEARCH_FILTERS[name])
        picked[name] = None if value == ANY else value
    limit = st.slider("Results", min_value=5, max_value=50, value=10, step=5, key=state.SEARCH_LIMIT)

if not query.strip():
    st.stop()

with shown_errors():
    results = search.search(
        services,
        user,
        query,
        filters=search.SearchFilters(**picked),
        script_ids=chosen or None,
        limit=limit,
    )

if not results:
    st.info(
        "Nothing close: no scene shares a word with that or comes near its meaning. Try other words or fewer filters."
    )
    st.stop()

st.caption(f"{len(results)} scenes, best first")
for result in results:
    link = scene_address(result.script_id, result.scene_number)
    with st.container(border=True):
        heading = escape_markdown(result.heading or "(no heading)")
        st.markdown(f"**[Scene {result.scene_number} · {heading}]({link})**  \n{escape_markdown(result.script_title)}")
        st.markdown(result.marked_snippet(escape=True))
        st.caption(f"score {result.score:.3f}")
