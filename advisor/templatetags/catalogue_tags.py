"""Display filters for the catalogue pages."""

from django import template

from advisor import browse, richtext

register = template.Library()


@register.filter
def price(value):
    """A price without trailing zeros (0.150 -> 0.15); empty when unknown."""
    return browse.price(value) or ""


@register.filter
def number(value):
    """A whole number with thousands separators; empty when unknown."""
    return "" if value is None else browse.number(value)


@register.filter
def web_url(value):
    """The address when it is a plain http(s) URL, else "" (never a javascript: or data: link)."""
    return richtext.web_url(value)
