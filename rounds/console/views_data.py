"""Moderation, the audit log, exports and the proposal import."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from rounds.console import exports
from rounds.console import selectors as console_selectors
from rounds.console.forms import AuditFilterForm, HideForm, ImportForm
from rounds.console.roles import MODERATOR, TENANT_ADMIN, role_required
from rounds.console.views import form_errors_from
from rounds.models import Comment, Round
from rounds.services.moderation import comment_hide, comment_restore
from rounds.services.proposal_import import ImportRefused, proposals_import_csv


def _moderation_page(request, status: int = 200, forms: dict | None = None):
    show = request.GET.get("vis", "all")
    hidden = {"hidden": True, "visible": False}.get(show)
    comments = list(console_selectors.comments_for_moderation(hidden=hidden)[:200])
    forms = forms or {}
    rows = [(c, forms.get(c.pk) or HideForm(prefix=f"c{c.pk}")) for c in comments]
    return render(request, "console/moderation.html", {"rows": rows, "show": show}, status=status)


@role_required(MODERATOR)
def moderation(request):
    return _moderation_page(request)


@role_required(MODERATOR)
@require_POST
def comment_hide_view(request, pk: int):
    comment = get_object_or_404(Comment, pk=pk)
    form = HideForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            comment_hide(comment=comment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The comment is hidden."))
            return redirect("console:moderation")
    return _moderation_page(request, status=400, forms={pk: form})


@role_required(MODERATOR)
@require_POST
def comment_restore_view(request, pk: int):
    comment = get_object_or_404(Comment, pk=pk)
    try:
        comment_restore(comment=comment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The comment is shown again."))
    return redirect("console:moderation")


@role_required(TENANT_ADMIN)
def audit_log(request):
    form = AuditFilterForm(request.GET or None, object_types=console_selectors.audit_object_types())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = console_selectors.audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 100).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "console/audit.html", {"form": form, "page": page, "query": query.urlencode()})


def _download(body: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(TENANT_ADMIN)
def export_proposals(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    return _download(exports.proposals_csv(pb_round), f"{slug}-forslag.csv", "text/csv; charset=utf-8")


@role_required(TENANT_ADMIN)
def export_results(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    return _download(exports.results_csv(pb_round), f"{slug}-resultat.csv", "text/csv; charset=utf-8")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(TENANT_ADMIN)
def export_proposals_xlsx(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    return _download(exports.proposals_xlsx(pb_round), f"{slug}-forslag.xlsx", XLSX)


@role_required(TENANT_ADMIN)
def export_results_xlsx(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    return _download(exports.results_xlsx(pb_round), f"{slug}-resultat.xlsx", XLSX)


@role_required(TENANT_ADMIN)
def export_archive(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    body = json.dumps(exports.round_archive(pb_round), ensure_ascii=False, indent=1)
    return _download(body, f"{slug}-arkiv.json", "application/json")


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def import_proposals(request, slug: str):
    """Proposals from a CSV file; on any problem nothing is imported and every row's problem is listed."""
    pb_round = get_object_or_404(Round, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = proposals_import_csv(
                pb_round=pb_round, text=form.cleaned_data["file"], actor=request.user
            )
        except ImportRefused as exc:
            row_errors = exc.errors
            form.add_error("file", _("Nothing was imported. Correct the rows below and try again."))
        else:
            text = ngettext(
                "%(count)s proposal was imported.", "%(count)s proposals were imported.", len(created)
            )
            messages.success(request, text % {"count": len(created)})
            return redirect("console:round", slug=slug)
    return render(
        request,
        "console/import.html",
        {"pb_round": pb_round, "form": form, "row_errors": row_errors},
        status=400 if form.errors else 200,
    )


@role_required(TENANT_ADMIN)
def export_ballots_pb(request, slug: str):
    """The counted ballots, anonymised, as the Pabulib .pb file the result's certificate holds."""
    pb_round = get_object_or_404(Round, slug=slug)
    result = getattr(pb_round, "result", None)
    if result is None or not result.certificate_pb:
        raise Http404
    return _download(result.certificate_pb, f"{slug}.pb", "text/plain; charset=utf-8")
