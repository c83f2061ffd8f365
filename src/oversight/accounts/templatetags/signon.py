"""``{% sso_enabled as sso %}``: whether the sign-in page offers the council's single sign-on."""

from django import template

from ..oidc import enabled

register = template.Library()


@register.simple_tag
def sso_enabled() -> bool:
    return enabled()
