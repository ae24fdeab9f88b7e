"""The stripboard and the Day Out of Days as the Schedule page shows them: HTML strips in the board colours with black
day banners (for st.html; every text escaped), and the DOOD grid as a table."""

from __future__ import annotations

from html import escape
from typing import Any

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
.cr-board td.cr-synopsis { white-space: normal; max-width: 60ch; }
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
            cast = ", ".join(str(cast_id) for cast_id in totals.cast_ids) or "none"
            text = f"{row.text} · {totals.scenes} scenes · about {totals.hours} · cast {cast}" + (
                f" · {row.note}" if row.note else ""
            )
            parts.append(f'<tr class="cr-day"><td colspan="7">{escape(text)}</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


def dood_table(schedule: Schedule) -> list[dict[str, Any]]:
    """The DOOD grid as rows for st.dataframe: ID, cast, one column per date ("3 Tue 02/03", "Off Sat 06/03"),
    then the totals."""
    dood = day_out_of_days(schedule)
    titles = [f"{column.title} {column.date.strftime('%a %d/%m')}" for column in dood.columns]
    rows: list[dict[str, Any]] = []
    for row in dood.rows:
        entry: dict[str, Any] = {"ID": row.cast_id, "Cast": row.name}
        entry.update(dict(zip(titles, row.codes, strict=True)))
        entry.update(
            {
                "Work": row.work,
                "Hold": row.hold,
                "Travel": row.travel,
                "Total": row.total,
                "Start": row.start.isoformat() if row.start else "",
                "Finish": row.finish.isoformat() if row.finish else "",
            }
        )
        rows.append(entry)
    return rows


def dood_legend() -> str:
    return " · ".join(f"**{code}** {meaning}" for code, meaning in DOOD_LEGEND.items())
