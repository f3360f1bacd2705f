"""The phases before the vote that need staff: areas and their sub-pots, local-council
applications and the pot split, delegates, and meetings with their sign-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from models_catalogue.base import Action, AreaFunding
from rounds.console import selectors as console_selectors
from rounds.console.forms import (
    ApplicationDecisionForm,
    ApplicationForm,
    AreaPotForm,
    DelegateForm,
    MeetingForm,
)
from rounds.console.roles import TENANT_ADMIN, role_required
from rounds.console.views import form_errors_from
from rounds.models import Area, AreaApplication, Round
from rounds.rules import RuleViolation
from rounds.services.areas import (
    area_application_decide,
    area_application_submit,
    area_pot_set,
    area_pots_split_equally,
)
from rounds.services.participation import delegate_choose, meeting_create


def _round(slug: str) -> Round:
    return get_object_or_404(Round, slug=slug)


def _areas_page(request, pb_round: Round, status: int = 200, forms: dict | None = None, error: str = ""):
    forms = forms or {}
    areas = list(pb_round.areas.all())
    applications = list(pb_round.applications.order_by("submitted_at", "id"))
    area_rows = [
        (a, forms.get(("area", a.pk)) or AreaPotForm(prefix=f"area{a.pk}", initial={"pot": a.pot}))
        for a in areas
    ]
    application_rows = [
        (
            a,
            forms.get(("application", a.pk))
            or ApplicationDecisionForm(prefix=f"app{a.pk}", initial={"pot": a.requested_amount}),
        )
        for a in applications
    ]
    context = {
        "pb_round": pb_round,
        "rules": pb_round.rules,
        "takes_applications": pb_round.rules.area_funding == AreaFunding.APPLICATIONS,
        "allows": {a for a in Action if console_selectors.round_allows(pb_round, a)},
        "area_rows": area_rows,
        "pots_total": sum(a.pot or 0 for a in areas),
        "application_rows": application_rows,
        "application_form": forms.get("application") or ApplicationForm(),
        "error": error,
    }
    return render(request, "console/areas.html", context, status=status)


@role_required(TENANT_ADMIN)
def round_areas(request, slug: str):
    return _areas_page(request, _round(slug))


@role_required(TENANT_ADMIN)
@require_POST
def area_pot(request, slug: str, pk: int):
    pb_round = _round(slug)
    area = get_object_or_404(Area, round=pb_round, pk=pk)
    form = AreaPotForm(request.POST, prefix=f"area{pk}")
    if form.is_valid():
        try:
            area_pot_set(area=area, pot=form.cleaned_data["pot"], actor=request.user)
        except RuleViolation as exc:
            form.add_error("pot", exc.message)
        else:
            messages.success(request, _("The sub-pot of %(area)s is saved.") % {"area": area.name})
            return redirect("console:round_areas", slug=slug)
    return _areas_page(request, pb_round, status=400, forms={("area", pk): form})


@role_required(TENANT_ADMIN)
@require_POST
def areas_split(request, slug: str):
    pb_round = _round(slug)
    try:
        area_pots_split_equally(pb_round=pb_round, actor=request.user)
    except RuleViolation as exc:
        return _areas_page(request, pb_round, status=400, error=exc.message)
    messages.success(request, _("The pool is split equally between the areas."))
    return redirect("console:round_areas", slug=slug)


@role_required(TENANT_ADMIN)
@require_POST
def application_add(request, slug: str):
    pb_round = _round(slug)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            area_application_submit(pb_round=pb_round, actor=request.user, **form.cleaned_data)
        except (RuleViolation, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The application is registered."))
            return redirect("console:round_areas", slug=slug)
    return _areas_page(request, pb_round, status=400, forms={"application": form})


@role_required(TENANT_ADMIN)
@require_POST
def application_decide(request, slug: str, pk: int):
    pb_round = _round(slug)
    application = get_object_or_404(AreaApplication, round=pb_round, pk=pk)
    form = ApplicationDecisionForm(request.POST, prefix=f"app{pk}")
    if form.is_valid():
        try:
            area_application_decide(
                application=application, select=form.cleaned_data["select"], pot=form.cleaned_data["pot"],
                actor=request.user,
            )  # fmt: skip
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The decision on %(name)s is saved.") % {"name": application.applicant}
            )
            return redirect("console:round_areas", slug=slug)
    return _areas_page(request, pb_round, status=400, forms={("application", pk): form})


@role_required(TENANT_ADMIN)
def round_people(request, slug: str):
    """Delegates and meetings (with their sign-ups) of a round."""
    pb_round = _round(slug)
    delegate_form = DelegateForm(pb_round=pb_round, prefix="delegate")
    meeting_form = MeetingForm(pb_round=pb_round, prefix="meeting")
    status = 200
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "delegate":
            delegate_form = DelegateForm(request.POST, pb_round=pb_round, prefix="delegate")
            if delegate_form.is_valid():
                try:
                    delegate_choose(pb_round=pb_round, actor=request.user, **delegate_form.cleaned_data)
                except RuleViolation as exc:
                    delegate_form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The delegate is recorded."))
                    return redirect("console:round_people", slug=slug)
        elif kind == "meeting":
            meeting_form = MeetingForm(request.POST, pb_round=pb_round, prefix="meeting")
            if meeting_form.is_valid():
                try:
                    meeting_create(pb_round=pb_round, actor=request.user, **meeting_form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(meeting_form, exc)
                else:
                    messages.success(request, _("The meeting is created."))
                    return redirect("console:round_people", slug=slug)
        status = 400
    context = {
        "pb_round": pb_round,
        "rules": pb_round.rules,
        "delegates": list(pb_round.delegates.select_related("area").order_by("name")),
        "meetings": list(pb_round.meetings.prefetch_related("signups").select_related("area")),
        "delegate_form": delegate_form,
        "meeting_form": meeting_form,
        "can_choose_delegates": console_selectors.round_allows(pb_round, Action.CHOOSE_DELEGATES),
    }
    return render(request, "console/people.html", context, status=status)
