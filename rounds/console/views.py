"""Console pages: the dashboard, the catalogue and starting a round, and staff accounts.

Thin: forms parse, services write (raising RuleViolation or ValidationError, shown as form
errors), selectors read. Who may open what: rounds/console/roles.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from models_catalogue import registry
from models_catalogue.compare import catalogue_compare, catalogue_list, model_summary
from models_catalogue.presets import PRESETS
from rounds.console import selectors
from rounds.console.forms import PhaseDaysForm, PresetStartForm, RoundStartForm, SettingsForm, StaffForm
from rounds.console.roles import (
    CASE_WORKER,
    ROLE_LABELS,
    ROLES,
    TENANT_ADMIN,
    role_required,
    user_departments,
    user_roles,
)
from rounds.rules import RuleViolation
from rounds.services.rounds import round_create, round_create_from_preset
from rounds.services.staff import staff_create, staff_roles_set


def form_errors_from(form, exc: Exception) -> None:
    """Put a service's refusal on the form: a RuleViolation's message, or a ValidationError by field."""
    if isinstance(exc, RuleViolation):
        form.add_error(None, exc.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@role_required(*ROLES)
def dashboard(request):
    roles = user_roles(request.user)
    context = {"roles": roles, "departments": user_departments(request.user)}
    if TENANT_ADMIN in roles:
        context["rounds"] = selectors.dashboard_rounds()
    if CASE_WORKER in roles:
        mine = None if TENANT_ADMIN in roles else context["departments"]
        context["queue"] = selectors.assessment_queue(mine)
    return render(request, "console/dashboard.html", context)


@role_required(TENANT_ADMIN)
def catalogue(request):
    return render(
        request,
        "console/catalogue.html",
        {"models": catalogue_list(get_language()), "presets": PRESETS.values()},
    )


@role_required(TENANT_ADMIN)
def compare(request):
    keys = [k for k in request.GET.getlist("model") if k in registry.CATALOGUE]
    if len(keys) < 2:
        keys = list(registry.CATALOGUE)
    return render(
        request, "console/compare.html", {"table": catalogue_compare(keys, get_language()), "keys": keys}
    )


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def round_start(request, key: str):
    """Start a round from one catalogue model: its settings, themes, areas and phase schedule."""
    try:
        model = registry.get(key)
    except KeyError:
        raise Http404 from None
    data = request.POST if request.method == "POST" else None
    form = RoundStartForm(data)
    settings_form = SettingsForm(data, model=model)
    days_form = PhaseDaysForm(data, model=model)
    if data is not None and all([form.is_valid(), settings_form.is_valid(), days_form.is_valid()]):
        try:
            pb_round = round_create(
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"],
                process_model=key,
                settings=settings_form.values,
                starts_at=form.starts_at(),
                actor=request.user,
                summary=form.cleaned_data["summary"],
                funding_source=form.cleaned_data["funding_source"],
                themes=form.cleaned_data["themes"],
                areas=form.cleaned_data["areas"],
                phase_days=days_form.phase_days(),
            )
        except ValidationError as exc:
            form_errors_from(settings_form, exc)
        else:
            messages.success(request, _("The round “%(title)s” was created.") % {"title": pb_round.title})
            return redirect("console:round", slug=pb_round.slug)
    context = {
        "model": model_summary(model, get_language()),
        "form": form,
        "settings_form": settings_form,
        "days_form": days_form,
    }
    return render(request, "console/round_start.html", context, status=400 if data is not None else 200)


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def round_start_preset(request):
    form = PresetStartForm(request.POST or None, initial={"preset": request.GET.get("preset")})
    if request.method == "POST" and form.is_valid():
        preset = PRESETS[form.cleaned_data["preset"]]
        try:
            pb_round = round_create_from_preset(
                preset_key=preset.key,
                starts_at=form.starts_at(),
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"] or None,
                actor=request.user,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The round “%(title)s” was created.") % {"title": pb_round.title})
            return redirect("console:round", slug=pb_round.slug)
    return render(request, "console/round_start_preset.html", {"form": form, "presets": PRESETS.values()})


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def staff(request):
    """The municipality's console staff and their roles; a tenant admin adds accounts."""
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                actor=request.user,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            staff_roles_set(
                user=user,
                roles=form.cleaned_data["roles"],
                departments=form.department_list(),
                actor=request.user,
            )
            messages.success(request, _("The account %(name)s was created.") % {"name": user.get_username()})
            return redirect("console:staff")
    people = [
        (u, sorted(str(ROLE_LABELS[r]) for r in user_roles(u)), user_departments(u))
        for u in get_user_model().objects.prefetch_related("groups").order_by("username")
    ]
    return render(request, "console/staff.html", {"form": form, "people": [p for p in people if p[1]]})
