from django.http import HttpResponseNotFound
from django.shortcuts import render
from django.template.loader import render_to_string

from tenants.selectors import municipality_list_public


def unknown_host(request):
    """A host that belongs to no municipality: a plain 404 page, never a 500."""
    html = render_to_string("tenants/unknown_host.html", {"host": request.META.get("HTTP_HOST", "")})
    return HttpResponseNotFound(html)


def landing(request):
    """The platform's public front page: every municipality with a link to its site."""
    return render(request, "tenants/landing.html", {"municipalities": municipality_list_public()})
