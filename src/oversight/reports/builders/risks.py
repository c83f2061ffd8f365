"""The risk register: every risk and issue open at the period, the heat map, and those closed in it."""

from __future__ import annotations

from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.reports.builders import common as c
from oversight.reports.data import Cell, Chart, Column, MetaItem, Paragraph, RiskRegisterReport, Section, Table


def build(programme: Programme, period: Period, *, for_publication: bool = False) -> RiskRegisterReport:
    data = c.load_risks(programme, period)
    rows = tuple(c.risk_row(r, data) for r in data.open)
    closed = tuple(c.risk_row(r, data) for r in data.closed)
    counts = c.heatmap_counts(rows)
    bands_text = (f"Scores of {data.red_from} and above are red, {data.amber_from} to {data.red_from - 1} amber, "
                  f"below {data.amber_from} green.")
    grid = Table("heatmap", "Open risks by probability and impact (number of risks)", (
        Column("impact", "Impact", width=1), *(Column(f"p{p}", f"Probability {p}", numeric=True) for p in range(1, 6))),
        tuple((Cell(str(5 - i)), *(Cell(str(n), rag=data.band((5 - i) * (p + 1)), value=n, kind="score")
                                  for p, n in enumerate(row))) for i, row in enumerate(counts)))
    alt = (f"Heat map of {len(rows)} open risks by probability (across) and impact (up). "
           + "; ".join(f"{n} at probability {p + 1}, impact {5 - i}"
                       for i, row in enumerate(counts) for p, n in enumerate(row) if n))
    chart = Chart("heatmap", "Risk heat map", heatmap_svg(counts, data), alt.strip(), grid)
    blocks: tuple = (Paragraph(bands_text, "note"), chart) if rows else (Paragraph(c.NO_RISKS, "empty"),)
    by_band = {b: sum(1 for r in rows if r.band == b) for b in ("red", "amber", "green")}
    return RiskRegisterReport(
        name="risks", title="Risk register", subtitle=f"{programme.name} — {period.label}",
        programme=programme.name, programme_slug=programme.slug, as_at=period.as_at, period_label=period.label,
        meta=(*c.meta_common(programme, period), MetaItem("Open risks and issues", str(len(rows))),
              MetaItem("Red", str(by_band["red"]), "red"), MetaItem("Amber", str(by_band["amber"]), "amber"),
              MetaItem("Green", str(by_band["green"]), "green")),
        sections=(
            Section("register", "Issues / risks", (c.risk_table(rows),)),
            Section("heatmap", "Heat map", blocks),
            Section("closed", "Closed in this period", (c.risk_table(
                closed, "closed", "Risks closed in this period", "No risks closed in this period."),)),
        ),
        landscape=True, for_publication=for_publication, notice=c.publication_notice(for_publication),
        risks=rows, closed=closed, heatmap=tuple(tuple(r) for r in counts), red_from=data.red_from,
        amber_from=data.amber_from)


def heatmap_svg(counts: list[list[int]], data: c.RiskData) -> str:
    """The risks app's heat map when it is installed; a plain grid of the same counts otherwise."""
    try:
        from oversight.risks.models import RiskBands
        from oversight.risks.svg import heatmap_svg as risks_svg

        return str(risks_svg(counts, RiskBands(red_from=data.red_from, amber_from=data.amber_from)))
    except Exception:  # noqa: BLE001 - the risks app missing or changing: the plain grid says the same
        return plain_heatmap_svg(counts, data)


FILL = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c"}


def plain_heatmap_svg(counts: list[list[int]], data: c.RiskData) -> str:
    cell, left, top = 60, 70, 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + 5 * cell + 10} {top + 5 * cell + 50}" '
             'role="img" aria-labelledby="hm-title hm-desc">',
             '<title id="hm-title">Risk heat map</title>',
             '<desc id="hm-desc">Number of open risks by probability (across, 1 to 5) and impact (up, 1 to 5).</desc>']
    for i, row in enumerate(counts):
        impact = 5 - i
        for p, n in enumerate(row):
            x, y = left + p * cell, top + i * cell
            band = data.band(impact * (p + 1))
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{FILL[band]}" '
                         'stroke="#ffffff" stroke-width="2"/>')
            if n:
                parts.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + 7}" text-anchor="middle" '
                             f'font-family="Arial, sans-serif" font-size="20" font-weight="bold" '
                             f'fill="#ffffff">{n}</text>')
        parts.append(f'<text x="{left - 10}" y="{top + i * cell + cell / 2 + 5}" text-anchor="end" '
                     f'font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c">{impact}</text>')
    for p in range(5):
        parts.append(f'<text x="{left + p * cell + cell / 2}" y="{top + 5 * cell + 20}" text-anchor="middle" '
                     f'font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c">{p + 1}</text>')
    parts.append(f'<text x="{left + 2.5 * cell}" y="{top + 5 * cell + 42}" text-anchor="middle" '
                 'font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c">Probability</text>')
    parts.append(f'<text x="14" y="{top + 2.5 * cell}" text-anchor="middle" font-family="Arial, sans-serif" '
                 f'font-size="14" fill="#0b0c0c" transform="rotate(-90 14 {top + 2.5 * cell})">Impact</text>')
    parts.append("</svg>")
    return "".join(parts)
