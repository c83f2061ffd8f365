"""The programme page's panel for the registers, without the plans app importing this one."""

from __future__ import annotations

from django import template

from oversight.plans.periods import current_period

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def risks_summary(context, programme) -> dict:
    """Counts for the panel as at the page's period (``period`` in the context, else the current one)."""
    period = context.get("period") or current_period(programme)
    return queries.summary(programme, period)
