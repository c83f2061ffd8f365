"""The programme page's trail from inspection to action, without the plans app importing this one."""

from __future__ import annotations

from django import template

from oversight.plans.periods import current_period

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def governance_trail(context, programme) -> dict:
    """Visits with their findings, recommendations and actions as at the page's period."""
    period = context.get("period") or current_period(programme)
    return {"as_at": period.as_at, "visits": queries.trail(programme, period.as_at)}
