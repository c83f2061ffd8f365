"""The 5 × 5 probability × impact heat map as SVG built on the server.

The same markup serves the page, print and the board report's PDF. No scripts and no style
attributes (the Content-Security-Policy forbids inline styles), only SVG presentation
attributes. The picture is an image with a title and a description that say what it shows;
the page puts the same numbers in a table beside it, so nothing is conveyed by colour alone:
every cell also carries its count and, for screen readers, its own title.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#0b0c0c"
WHITE = "#ffffff"
# Full colour where risks sit, a light tint of the same band where none do (GOV.UK palette).
FILL = {"red": ("#d4351c", "#f6d7d2"), "amber": ("#b35500", "#fbe2c8"), "green": ("#00703c", "#cce2d8")}
BAND_WORD = {"red": "red", "amber": "amber", "green": "green"}

CELL = 56
LEFT = 64   # room for the impact axis
TOP = 8
BOTTOM = 56  # room for the probability axis


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def heatmap_svg(counts: list[list[int]], bands, *, title: str = "Risk heat map: probability × impact",
                id_prefix: str = "heatmap") -> SafeString:
    """The heat map for ``counts`` (rows impact 5→1, columns probability 1→5) coloured by ``bands``.

    ``bands`` is the programme's ``RiskBands`` (anything with ``band(score)`` and ``ranges()``).
    """
    width = LEFT + 5 * CELL + 8
    height = TOP + 5 * CELL + BOTTOM
    total = sum(sum(row) for row in counts)
    per_band = {"red": 0, "amber": 0, "green": 0}
    occupied = []
    parts = []
    for i, row in enumerate(counts):
        impact = 5 - i
        y = TOP + i * CELL
        parts.append(f'<text x="{LEFT - 10}" y="{y + CELL / 2 + 5:.0f}" text-anchor="end" font-size="14" '
                     f'fill="{INK}">{impact}</text>')
        for j, n in enumerate(row):
            probability = j + 1
            score = probability * impact
            band = bands.band(score)
            per_band[band] += n
            if n:
                occupied.append(f"probability {probability}, impact {impact} (score {score}, {band}): {n}")
            x = LEFT + j * CELL
            fill = FILL[band][0 if n else 1]
            ink = WHITE if n else INK
            cell_title = (f"Probability {probability}, impact {impact}: score {score}, {BAND_WORD[band]}; "
                          f"{_plural(n, 'risk')}")
            parts.append(
                f'<g class="heat-cell" data-probability="{probability}" data-impact="{impact}" data-band="{band}">'
                f'<title>{escape(cell_title)}</title>'
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="{WHITE}" '
                f'stroke-width="2"/>'
                f'<text x="{x + CELL / 2:.0f}" y="{y + CELL / 2 + 7:.0f}" text-anchor="middle" font-size="20" '
                f'font-weight="{700 if n else 400}" fill="{ink}">{n}</text></g>')
    base = TOP + 5 * CELL
    for j in range(5):
        parts.append(f'<text x="{LEFT + j * CELL + CELL / 2:.0f}" y="{base + 20}" text-anchor="middle" '
                     f'font-size="14" fill="{INK}">{j + 1}</text>')
    parts.append(f'<text x="{LEFT + 5 * CELL / 2:.0f}" y="{base + 44}" text-anchor="middle" font-size="14" '
                 f'font-weight="700" fill="{INK}">Probability</text>')
    parts.append(f'<text x="16" y="{TOP + 5 * CELL / 2:.0f}" text-anchor="middle" font-size="14" font-weight="700" '
                 f'fill="{INK}" transform="rotate(-90 16 {TOP + 5 * CELL / 2:.0f})">Impact</text>')
    ranges = dict(bands.ranges())
    what = "open risk or issue" if total == 1 else "open risks or issues"
    desc = (f"{total} {what} plotted by probability (1 to 5, left to right) and impact "
            f"(1 to 5, bottom to top). Red (score {ranges['red']}): {per_band['red']}; amber "
            f"({ranges['amber']}): {per_band['amber']}; green ({ranges['green']}): {per_band['green']}. ")
    desc += ("Cells with risks: " + "; ".join(occupied) + ".") if occupied else "No cell has a risk."
    t_id, d_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" aria-labelledby="{t_id} {d_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(desc)}</desc>'
        f'{"".join(parts)}</svg>')
