"""What every page that shows a programme "as at" a reporting period puts in its context.

Any app's view can call ``period_context(request, programme)`` and include
``plans/_period_picker.html``; its links then keep the chosen period with the ``purl`` tag
(``{% load plans_periods %}{% purl 'plans:tracker' programme.slug %}``) or ``period_query``.
"""

from __future__ import annotations

from . import periods


def period_context(request, programme, period: periods.Period | None = None) -> dict:
    """The period shown, the picker's choices and the query string that keeps the period.

    ``period_query`` is empty for the programme's current period (a bookmarked link then follows
    the programme as its current period moves on) and ``period=YYYY-MM-DD`` otherwise.
    """
    period = period or periods.period_for(request, programme)
    choices = periods.history(programme)
    if all(p.as_at != period.as_at for p in choices):
        choices = sorted([*choices, period], key=lambda p: p.as_at, reverse=True)
    keep = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k not in (periods.PARAM, "as_at")]
    return {
        "programme": programme,  # the breadcrumbs and navigation of every page need it (edit forms had none)
        "period": period,
        "as_at": period.as_at,
        "period_query": "" if period.is_current else period.query(),
        "period_choices": choices,
        "period_keep": keep,
    }
