"""Every session-state key, widget key and URL query parameter of the app, named once so pages agree on them.

Widget keys are also how the UI tests find a widget (AppTest's `key=`), so their values are part of the pages'
contract. Keys made for one script, scene, version or row are built by the functions under each heading.
"""

from __future__ import annotations

# --- the shell (app.py and the sidebar) --------------------------------------------------------------------------
CURRENT_SCRIPT = "current_script_id"
CURRENT_SCENE = "current_scene_number"
SCRIPT_PICKER = "script_picker"  # the sidebar selectbox; mirrors CURRENT_SCRIPT
LOGOUT = "logout"

# URL query parameters: a link such as /scenes?script=ID&scene=12 opens that scene.
SCRIPT_PARAM = "script"
SCENE_PARAM = "scene"

# --- logging in ----------------------------------------------------------------------------------------------------
AUTH_TOKEN = "auth_token"  # noqa: S105 - a key name, not a secret; the signed session token of the logged-in user (accounts.issue_session)
AUTH_NOTICE = "auth_notice"  # a message for the login page ("your session expired")
FIRST_ADMIN_FORM = "first_admin_form"
FIRST_ADMIN_LOGIN = "first_admin_login"
FIRST_ADMIN_NAME = "first_admin_name"
FIRST_ADMIN_PASSWORD = "first_admin_password"  # noqa: S105 - a widget key, not a password
FIRST_ADMIN_REPEAT = "first_admin_repeat"
LOGIN_FORM = "login_form"
LOGIN_NAME = "login_name"
LOGIN_PASSWORD = "login_password"  # noqa: S105 - a widget key, not a password
SSO_LOGIN = "sso_login"

# --- Library -------------------------------------------------------------------------------------------------------
LIBRARY_MANAGE_CHOICE = "library_manage_choice"  # the script managed; mirrors CURRENT_SCRIPT
OPEN_SCENES = "open_scenes"
OPEN_INSIGHTS = "open_insights"
RETRY_SCRIPT = "retry_script"
DELETE_SCRIPT = "delete_script"
PENDING_DELETE = "pending_delete"  # script id awaiting confirmation
CONFIRM_DELETE = "confirm_delete"
CANCEL_DELETE = "cancel_delete"
SHARE_NOTICE = "share_notice"
SHARE_FORM = "share_form"
SHARE_LOGIN = "share_login"
SHARE_ROLE = "share_role"


def unshare_key(login: str) -> str:
    return f"unshare-{login}"


# --- Upload --------------------------------------------------------------------------------------------------------
UPLOAD_RESULTS = "upload_results"  # the UploadResult of each file of the last upload (pages/upload.py)
UPLOADER_ROUND = "uploader_round"  # bumped after an upload so the file uploader starts empty again
START_UPLOAD = "start_upload"
# The import box for the browser app's export (cortexreel/ui/importer.py).
IMPORT_FILE = "import_export_file"
IMPORT_TEXT = "import_export_text"
IMPORT_BUTTON = "import_export_start"
IMPORT_RESULT = "import_export_result"  # the message of the last import, shown once after the rerun


def uploader_key(round_number: int) -> str:
    return f"uploader-{round_number}"


def duplicate_data_key(filename: str) -> str:
    """The bytes of an uploaded file already in the library, kept until the user opens the script or adds it."""
    return f"duplicate-upload-{filename}"


def duplicate_open_key(index: int) -> str:
    return f"duplicate-open-{index}"


def duplicate_add_key(index: int) -> str:
    return f"duplicate-add-{index}"


# --- Scenes --------------------------------------------------------------------------------------------------------
SCENE_NOTICE = "scene_notice"  # a message to show once after a save / revert / conflict
FILTER_TEXT = "filter_text"
FILTER_SETTINGS = "filter_settings"
FILTER_TIMES = "filter_times"
FILTER_CAST = "filter_cast"
FILTER_LOCATIONS = "filter_locations"
FILTER_RISK = "filter_risk"


def scene_choice_key(script_id: str) -> str:
    return f"scene_choice-{script_id}"


def seen_version_key(scene_id: str) -> str:
    """The version of the scene this user saw; a save is checked against it."""
    return f"seen-version-{scene_id}"


def scene_tabs_key(scene_id: str) -> str:
    return f"scene-tabs-{scene_id}"


def section_form_key(section: str, scene_id: str, version: int) -> str:
    return f"form-{section}-{scene_id}-v{version}"


def section_note_key(section: str, scene_id: str, version: int) -> str:
    return f"note-{section}-{scene_id}-v{version}"


def pending_note_key(scene_id: str) -> str:
    """The change note of the section form just submitted, read by the page that saves it."""
    return f"pending-note-{scene_id}"


def field_key(path: str, scene_id: str, version: int) -> str:
    """The widget key of one field of one scene as seen at `version` (tests address widgets by it)."""
    return f"field-{scene_id}-v{version}-{path}"


def diff_older_key(latest: str) -> str:
    return f"diff_older-{latest}"


def diff_newer_key(latest: str) -> str:
    return f"diff_newer-{latest}"


def revert_target_key(scene_id: str) -> str:
    return f"revert-target-{scene_id}"


def revert_key(scene_id: str) -> str:
    return f"revert-{scene_id}"


# --- Insights ------------------------------------------------------------------------------------------------------
INSIGHTS_ROLE = "insights_role"
ARC_EMOTIONS = "arc_emotions"

# --- Export --------------------------------------------------------------------------------------------------------
EXPORT_FILE = "export_file"  # the last ExportFile built on the Export page
EXPORT_FORMAT = "export_format"
BUILD_EXPORT = "build_export"
DOWNLOAD_EXPORT = "download_export"

# --- Search --------------------------------------------------------------------------------------------------------
SEARCH_QUERY = "search_query"
SEARCH_SCRIPTS = "search_scripts"
SEARCH_LIMIT = "search_limit"
# The filter selectboxes, by the SearchFilters field each one sets.
SEARCH_FILTERS = {
    "setting": "search_setting",
    "time_of_day": "search_time_of_day",
    "location": "search_location",
    "character": "search_character",
    "risk_level": "search_risk_level",
    "emotional_tone": "search_emotional_tone",
}

# --- Chat ----------------------------------------------------------------------------------------------------------
CHAT_SESSION = "chat_session_id"  # the conversation shown; None starts a new one
CHAT_AUTO_APPLY = "chat_auto_apply"
CHAT_UNDO = "chat_undo"


def chat_apply_key(session_id: str, index: int) -> str:
    return f"apply-{session_id}-{index}"


def chat_discard_key(session_id: str, index: int) -> str:
    return f"discard-{session_id}-{index}"


# --- Settings ------------------------------------------------------------------------------------------------------
SETTINGS_NOTICE = "settings_notice"
SETTINGS_FORM = "settings_form"
RESET_SETTINGS = "reset_settings"
PROMPT_CHOICE = "prompt_choice"
RESET_PROMPT = "reset_prompt"
NEW_USER_FORM = "new_user_form"
USER_TO_TOGGLE = "user_to_toggle"
TOGGLE_USER = "toggle_user"


def prompt_form_key(name: str, versions: int) -> str:
    return f"prompt_form-{name}-{versions}"


def prompt_editor_key(name: str, versions: int) -> str:
    return f"prompt_editor-{name}-{versions}"


# --- Schedule ------------------------------------------------------------------------------------------------------
SCHEDULE_NOTICE = "schedule_notice"  # a message to show once after a draft / edit / conflict
SCHEDULE_EXPORT = "schedule_export"  # the last ExportFile built on the Schedule page
SCHEDULE_STRIP = "schedule_strip"  # the strip chosen for a board edit
SCHEDULE_DAY = "schedule_day"
SCHEDULE_TIME_LIMIT = "schedule_time_limit"
SCHEDULE_OLDER = "schedule_older"
SCHEDULE_NEWER = "schedule_newer"
SCHEDULE_RULES_FORM = "schedule_rules"
SCHEDULE_BREAK = "schedule_break"
SCHEDULE_CAST_RULES = "schedule_cast_rules"
SCHEDULE_DOWNLOAD = "schedule_download"
SCHEDULE_FIRST_DRAFT = "schedule_first_draft"
SCHEDULE_FIRST_START = "schedule_first_start"
SCHEDULE_LOCATION_RULES = "schedule_location_rules"
SCHEDULE_LOCK = "schedule_lock"
SCHEDULE_MOVE = "schedule_move"
SCHEDULE_ORDER_RULES = "schedule_order_rules"
SCHEDULE_REDRAFT = "schedule_redraft"
SCHEDULE_REFRESH = "schedule_refresh"
SCHEDULE_REVERT = "schedule_revert"


def schedule_build_key(report: str, fmt: str) -> str:
    return f"schedule_build_{report}_{fmt}"
