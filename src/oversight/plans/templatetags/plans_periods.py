"""``{% purl 'plans:tracker' programme.slug overdue=1 %}``: a URL that keeps the chosen period.

Reads ``period_query`` from the page's context (``plans.context.period_context``), so every
link of a page shown for December 2019 leads to December 2019, not back to the current period.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context, name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    return keep_period(url, context.get("period_query", ""), **params)


@register.filter
def with_period(url: str, period_query: str) -> str:
    """``{{ some_url|with_period:period_query }}`` for a URL built elsewhere."""
    return keep_period(url, period_query)


def keep_period(url: str, period_query: str, **params) -> str:
    parts = [p for p in (period_query, urlencode({k: v for k, v in params.items() if v not in (None, "")})) if p]
    if not parts:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(parts)
