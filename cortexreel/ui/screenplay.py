"""A scene's text laid out like a screenplay page (Courier, the usual indents), as HTML for st.html."""

from __future__ import annotations

from html import escape

from cortexreel.domain.scenes import Scene

# Left edges relative to the 6-inch action column (inches on a page: action 1.5, dialogue 2.5, parenthetical
# ~3.1, character cue ~3.7), as percentages so the layout keeps its shape in a narrow column.
SCREENPLAY_CSS = """
<style>
.cr-page { font-family: "Courier Prime", "Courier New", Courier, monospace; font-size: 14px; line-height: 1.25;
  background: #fff; color: #111; max-width: 64ch; padding: 2em 5% 2em 5%; border: 1px solid #ddd;
  box-shadow: 0 1px 4px rgba(0,0,0,.08); margin: 0 auto 1em auto; }
.cr-page p { margin: 0 0 1.25em 0; white-space: pre-wrap; }
.cr-heading { font-weight: bold; text-transform: uppercase; display: flex; justify-content: space-between; }
.cr-action { margin-right: 0; }
.cr-character { margin-left: 37% !important; margin-bottom: 0 !important; text-transform: uppercase; }
.cr-parenthetical { margin-left: 27% !important; margin-right: 25% !important; margin-bottom: 0 !important; }
.cr-dialogue { margin-left: 17% !important; margin-right: 17% !important; }
.cr-transition { text-align: right; text-transform: uppercase; }
.cr-centered { text-align: center; }
.cr-note { color: #666; font-style: italic; }
.cr-char-block { margin-bottom: 1.25em; }
</style>
"""


def screenplay_html(scene: Scene) -> str:
    """The scene as screenplay-formatted HTML: the numbered heading, then each element in its column."""
    label = escape(scene.label or str(scene.number))
    parts = [SCREENPLAY_CSS, '<div class="cr-page">']
    parts.append(
        f'<p class="cr-heading"><span>{label}&nbsp;&nbsp;{escape(scene.heading)}</span><span>{label}</span></p>'
    )
    for element in scene.elements:
        text = escape(element.text)
        if element.type == "character":
            cue = text.upper()
            if element.extension and element.extension.upper() not in cue:
                cue += f" ({escape(element.extension.upper())})"
            parts.append(f'<p class="cr-character">{cue}</p>')
        elif element.type == "parenthetical":
            wrapped = text if text.startswith("(") else f"({text})"
            parts.append(f'<p class="cr-parenthetical">{wrapped}</p>')
        elif element.type == "dialogue":
            parts.append(f'<p class="cr-dialogue">{text}</p>')
        elif element.type == "transition":
            parts.append(f'<p class="cr-transition">{text}</p>')
        elif element.type in ("centered", "lyrics"):
            parts.append(f'<p class="cr-centered">{text}</p>')
        elif element.type == "note":
            parts.append(f'<p class="cr-note">[[{text}]]</p>')
        else:
            parts.append(f'<p class="cr-action">{text}</p>')
    parts.append("</div>")
    return "\n".join(parts)
