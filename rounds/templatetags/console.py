"""Console templates: which parts of the console the logged-in person may use."""

from django import template

from rounds.console.roles import user_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def console_roles(context) -> frozenset[str]:
    request = context.get("request")
    return user_roles(request.user) if request is not None else frozenset()
