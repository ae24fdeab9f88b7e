"""Session-state keys and URL query parameters, named once so pages agree on them."""

from __future__ import annotations

# Session state
CURRENT_SCRIPT = "current_script_id"
CURRENT_SCENE = "current_scene_number"
SCRIPT_PICKER = "script_picker"  # the sidebar selectbox; mirrors CURRENT_SCRIPT
UPLOAD_RESULTS = "upload_results"  # the UploadResult of each file of the last upload (pages/upload.py)
UPLOADER_ROUND = "uploader_round"  # bumped after an upload so the file uploader starts empty again
SCENE_FILTERS = "scene_filters"
SCENE_NOTICE = "scene_notice"  # a message to show once after a save / revert / conflict
EXPORT_FILE = "export_file"  # the last ExportFile built on the Export page
EXPORT_FORMAT = "export_format"
INSIGHTS_ROLE = "insights_role"
DIFF_OLDER = "diff_older"
DIFF_NEWER = "diff_newer"
PENDING_DELETE = "pending_delete"  # script id awaiting confirmation
SETTINGS_NOTICE = "settings_notice"
PROMPT_CHOICE = "prompt_choice"
PROMPT_EDITOR = "prompt_editor"
AUTH_TOKEN = "auth_token"  # noqa: S105 - a key name, not a secret; the signed session token of the logged-in user (accounts.issue_session)
AUTH_NOTICE = "auth_notice"  # a message for the login page ("your session expired")
SHARE_NOTICE = "share_notice"

# URL query parameters: a link such as /scenes?script=ID&scene=12 opens that scene.
SCRIPT_PARAM = "script"
SCENE_PARAM = "scene"

# Page URL paths (st.Page url_path) that other pages link to.
LIBRARY_PAGE = "library"
UPLOAD_PAGE = "upload"
SCENES_PAGE = "scenes"
INSIGHTS_PAGE = "insights"
EXPORT_PAGE = "export"
SEARCH_PAGE = "search"
SETTINGS_PAGE = "settings"
LOGIN_PAGE = "login"

# Chat page
CHAT_PAGE = "chat"
CHAT_SESSION = "chat_session_id"  # the conversation shown; None starts a new one
CHAT_AUTO_APPLY = "chat_auto_apply"
CHAT_UNDO = "chat_undo"

# Schedule page
SCHEDULE_PAGE = "schedule"
SCHEDULE_NOTICE = "schedule_notice"  # a message to show once after a draft / edit / conflict
SCHEDULE_EXPORT = "schedule_export"  # the last ExportFile built on the Schedule page
SCHEDULE_STRIP = "schedule_strip"  # the strip chosen for a board edit
SCHEDULE_DAY = "schedule_day"
SCHEDULE_TIME_LIMIT = "schedule_time_limit"
SCHEDULE_OLDER = "schedule_older"
SCHEDULE_NEWER = "schedule_newer"
