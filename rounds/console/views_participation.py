"""The participation dashboard: tables with charts over time, by channel, by area and by age band,
and turnout against the eligible residents staff set for the round and its areas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds.console import selectors as console_selectors
from rounds.console.forms import EligibleResidentsForm
from rounds.console.roles import TENANT_ADMIN, role_required
from rounds.console.views import form_errors_from
from rounds.models import Round
from rounds.services.rounds import round_eligible_residents_set


def _participation_page(request, pb_round: Round, form=None, status: int = 200):
    inhabitants = getattr(request.tenant, "inhabitants", None)
    series = console_selectors.participation(pb_round)
    context = {
        "pb_round": pb_round,
        "series": series,
        "rows": [(key, s, s.chart(), f"chart-{key}") for key, s in series.items()],
        "turnout": console_selectors.turnout(pb_round, inhabitants),
        "eligible_form": form or EligibleResidentsForm(pb_round=pb_round),
    }
    return render(request, "console/participation.html", context, status=status)


@role_required(TENANT_ADMIN)
def round_participation(request, slug: str):
    """Who took part: tables (and charts where JavaScript runs) over time, by channel, area and age."""
    return _participation_page(request, get_object_or_404(Round, slug=slug))


@role_required(TENANT_ADMIN)
@require_POST
def round_eligible(request, slug: str):
    pb_round = get_object_or_404(Round, slug=slug)
    form = EligibleResidentsForm(request.POST, pb_round=pb_round)
    if form.is_valid():
        try:
            round_eligible_residents_set(
                pb_round=pb_round,
                eligible=form.cleaned_data["eligible"],
                areas=form.area_values(),
                actor=request.user,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The numbers of eligible residents are saved."))
            return redirect("console:round_participation", slug=slug)
    return _participation_page(request, pb_round, form=form, status=400)
