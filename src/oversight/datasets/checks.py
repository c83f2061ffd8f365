"""Start-up check: the council named by ``OVERSIGHT_COUNCIL`` must be an English children's services authority.

A misspelt council would otherwise stamp every dataset with nothing, and pooled benchmarks
would not know whose data it is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from oversight.engine.pools.councils import load_councils


@register()
def council_is_known(app_configs=None, **kwargs) -> list[Error]:
    text = getattr(settings, "OVERSIGHT_COUNCIL", "")
    if not text or load_councils().find(text) is not None:
        return []
    return [Error(f"OVERSIGHT_COUNCIL is {text!r}, which is not an English local authority with children's "
                  "services (give its DfE code such as 202, its ONS code, or its name)",
                  id="oversight.E020")]
