"""The stripboard and the Day Out of Days as the Schedule page shows them: HTML strips in the board colours with black
day banners (for st.html; every text escaped), and the DOOD grid as a table."""

from __future__ import annotations

from html import escape

from cortexreel.domain.schedule import (
    DOOD_LEGEND,
    Schedule,
    board_rows,
    cast_ids_text,
    day_out_of_days,
)

BOARD_CSS = """
<style>
.cr-board { font-family: "Source Sans Pro", Arial, sans-serif; font-size: 13px; border-collapse: collapse; width: 100%;
  color: #111; }
.cr-board th { text-align: left; font-size: 11px; text-transform: uppercase; color: #555; padding: 2px 6px;
  border-bottom: 2px solid #333; }
.cr-board td { padding: 3px 6px; border-bottom: 1px solid #9ca3af; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; max-width: 34ch; }
.cr-board td.cr-synopsis { max-width: 70ch; }
.cr-board tr.cr-day td { background: #111; color: #fff; font-weight: 700; letter-spacing: .02em; }
.cr-board tr.cr-move td { background: #f3c98b; font-weight: 600; font-size: 12px; }
.cr-board td.cr-num { font-weight: 700; }
.cr-lock { font-size: 11px; }
</style>
"""


def board_html(schedule: Schedule) -> str:
    """The board top to bottom: strips (scene, I/E, location, D/N, pages, synopsis, cast IDs), company-move banners
    and the black banner closing each day with its totals."""
    parts = [BOARD_CSS, '<table class="cr-board"><thead><tr>']
    parts += [f"<th>{name}</th>" for name in ("Sc.", "I/E", "Location", "D/N", "Pages", "Synopsis", "Cast")]
    parts.append("</tr></thead><tbody>")
    for row in board_rows(schedule):
        if row.kind == "strip" and row.strip is not None:
            strip = row.strip
            lock = (
                ' <span class="cr-lock" title="locked to its day">🔒</span>'
                if strip.scene_id in schedule.locked
                else ""
            )
            cells = [
                f'<td class="cr-num">{escape(strip.label)}{lock}</td>',
                f"<td>{escape(strip.setting or '')}</td>",
                f"<td>{escape(strip.location)}</td>",
                f"<td>{escape((strip.day_or_night or '').upper())}</td>",
                f"<td>{escape(strip.pages)}</td>",
                f'<td class="cr-synopsis">{escape(strip.synopsis)}</td>',
                f"<td>{escape(cast_ids_text(schedule, strip))}</td>",
            ]
            parts.append(f'<tr style="background:{strip.colour}">{"".join(cells)}</tr>')
        elif row.kind == "move":
            parts.append(f'<tr class="cr-move"><td colspan="7">{escape(row.text)}</td></tr>')
        elif row.day is not None:
            totals = row.day
            cast = ", ".join(str(cast_id) for cast_id in totals.cast_ids) or "\u2014"
            text = f"{row.text} · {totals.scenes} scenes · about {totals.hours} · cast {cast}" + (
                f" · {row.note}" if row.note else ""
            )
            parts.append(f'<tr class="cr-day"><td colspan="7">{escape(text)}</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


DOOD_CSS = """
<style>
.cr-dood-wrap { overflow-x: auto; max-width: 100%; }
.cr-dood { font-family: "Source Sans Pro", Arial, sans-serif; font-size: 12px; border-collapse: collapse; color: #111; }
.cr-dood th, .cr-dood td { border: 1px solid #9ca3af; padding: 2px 4px; text-align: center; min-width: 2.6em; }
.cr-dood th { font-size: 11px; background: #f3f4f6; font-weight: 600; line-height: 1.2; }
.cr-dood td.cr-name { text-align: left; white-space: nowrap; min-width: 11em; position: sticky; left: 0;
  background: #fff; }
.cr-dood .cr-off { background: #d1d5db; }
.cr-dood .cr-work { background: #b9e4b0; font-weight: 700; }
.cr-dood .cr-hold { background: #fde68a; }
.cr-dood .cr-travel { background: #c7d2fe; }
.cr-dood .cr-holiday { background: #fbcfe8; }
.cr-dood td.cr-total { background: #f9fafb; font-weight: 600; }
</style>
"""
_CODE_CLASSES = {"H": "cr-hold", "T": "cr-travel", "R": "cr-travel", "HOL": "cr-holiday"}
_WORK_CODES = {"SW", "W", "WF", "SWF", "WD", "SWD", "PW", "PWF"}


def dood_html(schedule: Schedule) -> str:
    """The Day Out of Days grid as crews print it: cast by ID down the side, one column per date (shoot day number
    over the date, days off shaded), the codes in colour, then each actor's totals."""
    dood = day_out_of_days(schedule)
    if not dood.rows:
        return ""
    parts = [DOOD_CSS, '<div class="cr-dood-wrap"><table class="cr-dood"><thead><tr><th>Cast</th>']
    for column in dood.columns:
        shade = ' class="cr-off"' if column.day_number is None else ""
        parts.append(f"<th{shade}>{escape(column.title)}<br>{column.date.strftime('%a')}<br>{column.date:%d/%m}</th>")
    parts += [f"<th>{name}</th>" for name in ("Work", "Hold", "Travel", "Total", "Start", "Finish")]
    parts.append("</tr></thead><tbody>")
    for row in dood.rows:
        parts.append(f'<tr><td class="cr-name">{row.cast_id}. {escape(row.name)}</td>')
        for column, code in zip(dood.columns, row.codes, strict=True):
            kind = "cr-work" if code in _WORK_CODES else _CODE_CLASSES.get(code, "")
            if column.day_number is None and not code:
                kind = "cr-off"
            parts.append(f'<td class="{kind}">{escape(code)}</td>')
        start = f"{row.start:%d/%m}" if row.start else ""
        finish = f"{row.finish:%d/%m}" if row.finish else ""
        for value in (row.work, row.hold, row.travel, row.total, start, finish):
            parts.append(f'<td class="cr-total">{escape(str(value))}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def dood_legend() -> str:
    return " · ".join(f"**{code}** {meaning}" for code, meaning in DOOD_LEGEND.items())
