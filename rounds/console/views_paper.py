"""The double-entry check of paper ballots, for tenant admins: switch it on or off for a round,
and resolve the ballot papers whose two entries differ (clear them for re-entry, or discard them
with a reason). Voting-day staff enter the ballots on the paper-entry page (views_voting.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds.console import selectors as console_selectors
from rounds.console.forms_voting import PaperEntryResolveForm
from rounds.console.roles import TENANT_ADMIN, role_required
from rounds.models import PaperEntry, Round
from rounds.rules import RuleViolation
from rounds.services.paper import paper_double_entry_set, paper_entry_clear, paper_entry_discard


def _entries_page(request, pb_round: Round, status: int = 200, forms: dict | None = None):
    forms = forms or {}
    rows = [
        (row, forms.get(row.entry.pk) or PaperEntryResolveForm(prefix=f"e{row.entry.pk}"))
        for row in console_selectors.paper_entries_open(pb_round)
    ]
    context = {
        "pb_round": pb_round,
        "rows": rows,
        "entry_counts": console_selectors.paper_entry_counts(pb_round),
        "discarded": pb_round.paper_entries.filter(status=PaperEntry.Status.DISCARDED),
    }
    return render(request, "console/paper_entries.html", context, status=status)


@role_required(TENANT_ADMIN)
def paper_entries(request, slug: str):
    return _entries_page(request, get_object_or_404(Round, slug=slug))


@role_required(TENANT_ADMIN)
@require_POST
def paper_entry_resolve(request, slug: str, pk: int):
    pb_round = get_object_or_404(Round, slug=slug)
    entry = get_object_or_404(PaperEntry, round=pb_round, pk=pk)
    form = PaperEntryResolveForm(request.POST, prefix=f"e{pk}")
    if form.is_valid():
        resolve = paper_entry_clear if form.cleaned_data["action"] == form.CLEAR else paper_entry_discard
        try:
            resolve(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            if resolve is paper_entry_clear:
                text = _("Ballot %(serial)s is cleared; two staff members can enter it again.")
            else:
                text = _("Ballot %(serial)s is discarded and will not be counted.")
            messages.success(request, text % {"serial": entry.serial})
            return redirect("console:paper_entries", slug=slug)
    return _entries_page(request, pb_round, status=400, forms={pk: form})


@role_required(TENANT_ADMIN)
@require_POST
def round_double_entry(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    is_on = request.POST.get("is_on") == "1"
    try:
        paper_double_entry_set(pb_round=pb_round, is_on=is_on, actor=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        if is_on:
            messages.success(request, _("Paper ballots are now entered twice, by two staff members."))
        else:
            messages.success(request, _("Paper ballots are now counted when they are entered once."))
    return redirect("console:round", slug=slug)
