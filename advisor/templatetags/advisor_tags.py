from django import template

from advisor.presenters import render_message

register = template.Library()


@register.filter
def message(value):
    """Render an engine message ({"msgid", "params"}) in the current language."""
    return render_message(value)
