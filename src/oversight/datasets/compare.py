"""A dataset's preview figures beside the live ones, so a wrong file is seen before it is published.

For each indicator, the preview's figure for the dataset's own month against the live figure for
the same month (what the scorecard shows today); a difference of a tenth or more is highlighted.
The comparison is computed here, never in a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Dataset

#: A change smaller than this (in the indicator's unit) is rounding, not a difference.
TOLERANCE = 0.05


@dataclass
class FigureRow:
    indicator: str
    name: str
    theme: str
    live: float | None
    preview: float | None
    live_text: str
    preview_text: str
    difference_text: str
    differs: bool

    def as_dict(self) -> dict:
        return {"indicator": self.indicator, "name": self.name, "live": self.live, "preview": self.preview,
                "difference": self.difference_text, "differs": self.differs}


@dataclass
class Comparison:
    month: str
    month_label: str
    live_source: str
    live_dataset: Dataset | None
    rows: list[FigureRow]

    @property
    def differences(self) -> int:
        return sum(r.differs for r in self.rows)


def _overall(run, month) -> dict[str, float | None]:
    from oversight.performance.models import IndicatorValue

    return dict(IndicatorValue.objects.filter(run=run, breakdown=IndicatorValue.OVERALL, month=month)
                .values_list("indicator", "value"))


def compare(ds: Dataset) -> Comparison | None:
    """Preview against live for ``ds``'s as-at month; None while the dataset has no figures."""
    from oversight.performance import services as perf

    run = ds.indicator_runs.order_by("-computed_at", "-pk").first()
    if run is None:
        return None
    month = ds.as_at.replace(day=1)
    live_run = perf.latest_run()
    if live_run is not None and live_run.dataset_id == ds.pk:
        live_run = None  # the dataset is itself live: nothing else to compare with
    preview = _overall(run, month)
    live = perf.overall_history(live_run) if live_run else {}
    key = f"{month:%Y-%m}"
    cat = perf.configured_catalogue()
    rows = []
    for ind in cat:
        p = preview.get(ind.id)
        lv = live.get(ind.id, {}).get(key, {}).get("value") if live_run else None
        if p is None and lv is None:
            differs, diff = False, ""
        elif p is None or lv is None:
            differs, diff = live_run is not None, "new" if lv is None else "missing"
        else:
            delta = p - lv
            differs = abs(delta) >= TOLERANCE
            diff = f"{'+' if delta > 0 else '−' if delta < 0 else ''}{perf.fmt(abs(delta), ind.unit)}" \
                if differs else "same"
        rows.append(FigureRow(ind.id, ind.name, ind.theme, lv, p, perf.fmt(lv, ind.unit), perf.fmt(p, ind.unit),
                              diff if live_run else "", differs))
    source = (f"{live_run.dataset.source_name}, as at {live_run.as_at:%d %B %Y}" if live_run and live_run.dataset
              else (live_run.source if live_run else "no live figures yet"))
    return Comparison(key, f"{month:%B %Y}", source, live_run.dataset if live_run else None, rows)
