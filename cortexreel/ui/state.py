"""Session-state keys and URL query parameters, named once so pages agree on them."""

from __future__ import annotations

# Session state
CURRENT_SCRIPT = "current_script_id"
CURRENT_SCENE = "current_scene_number"

# URL query parameters: a link such as /scenes?script=ID&scene=12 opens that scene.
SCRIPT_PARAM = "script"
SCENE_PARAM = "scene"

# Page URL paths (st.Page url_path) that other pages link to.
SCENES_PAGE = "scenes"
SEARCH_PAGE = "search"
