"""Danish conventions in templates: amounts as `75.000 kr.`."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rounds.formatting import danish_number

register = template.Library()


@register.filter
def kr(value) -> str:
    """75000 -> '75.000 kr.'; None -> ''."""
    if value is None or value == "":
        return ""
    return _("%(amount)s kr.") % {"amount": danish_number(int(value))}


@register.filter
def grouped(value) -> str:
    """A count with the language's thousands separator: 95818 -> '95.818' (Danish), '95,818' (English)."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)
