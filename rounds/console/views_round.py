"""Running a round from the console: phases, publishing, lists, the decision chain per
proposal, results and the evaluation. Thin views over rounds/services/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from models_catalogue.base import Action
from rounds import selectors
from rounds.console import progress
from rounds.console import selectors as console_selectors
from rounds.console.forms import (
    AdvanceForm,
    AssessmentForm,
    AssignForm,
    DecisionForm,
    EvaluationForm,
    ImplementationForm,
    PhaseScheduleForm,
    SettingsForm,
    StatementForm,
)
from rounds.console.forms_voting import HandCountForm
from rounds.console.roles import (
    CASE_WORKER,
    TENANT_ADMIN,
    departments_all,
    role_required,
    user_departments,
    user_roles,
)
from rounds.console.views import form_errors_from
from rounds.console.views_tasks import failure_text, tally_queue
from rounds.models import Phase, Proposal, Round
from rounds.rules import RuleViolation
from rounds.services.accountability import decision_record, evaluation_publish, implementation_update_post
from rounds.services.assessments import proposal_assess, proposals_assign, statement_add
from rounds.services.proposals import round_shortlist
from rounds.services.publishing import round_publish
from rounds.services.results import ON_OR_PAST_BALLOT, result_record
from rounds.services.rounds import (
    phase_schedule,
    round_advance_phase,
    round_close_last_phase,
    round_update_settings,
)


def _round(slug: str) -> Round:
    return get_object_or_404(Round, slug=slug)


def _round_page(request, pb_round: Round, status: int = 200, **forms):
    step = console_selectors.round_next_step(pb_round)
    allows = {a for a in Action if console_selectors.round_allows(pb_round, a)}
    context = {
        "pb_round": pb_round,
        "rules": pb_round.rules,
        "model_name": pb_round.model.text("name", request.LANGUAGE_CODE),
        "phases": list(pb_round.phases.order_by("position")),
        "step": step,
        "allows": allows,
        "advance_form": forms.get("advance_form")
        or AdvanceForm(initial={"to": getattr(step.following, "kind", "")}),
        "evaluation_form": forms.get("evaluation_form") or EvaluationForm(),
        "result_error": forms.get("result_error"),
        "hand_count_form": forms.get("hand_count_form") or HandCountForm(proposals=_ballot_list(pb_round)),
        "shortlist_error": forms.get("shortlist_error"),
        "assign_form": forms.get("assign_form")
        or AssignForm(pb_round=pb_round, departments=departments_all()),
        "favourites": selectors.proposal_favourites(pb_round),
        "proposals": list(
            selectors.proposals_with_support(pb_round).select_related("assessment").order_by("id")
        ),
        "ballot_counts": console_selectors.ballot_counts(pb_round),
        "result": getattr(pb_round, "result", None),
        "areas": list(pb_round.areas.all()),
        "themes": list(pb_round.themes.all()),
    }
    return render(request, "console/round.html", context, status=status)


def _ballot_list(pb_round: Round) -> list[Proposal]:
    return list(pb_round.proposals.filter(status__in=ON_OR_PAST_BALLOT).order_by("title", "id"))


@role_required(TENANT_ADMIN)
def round_detail(request, slug: str):
    return _round_page(request, _round(slug))


@role_required(TENANT_ADMIN)
@require_POST
def round_advance(request, slug: str):
    """Open the next phase; the form names it, so a stale page cannot skip one."""
    pb_round = _round(slug)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["to"] == "end":
                round_close_last_phase(pb_round=pb_round, actor=request.user)
                messages.success(request, _("The round is finished."))
            else:
                phase = round_advance_phase(pb_round=pb_round, actor=request.user, to=form.cleaned_data["to"])
                messages.success(request, _("%(phase)s is now open.") % {"phase": phase.label})
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("console:round", slug=slug)
    return _round_page(request, pb_round, status=400, advance_form=form)


@role_required(TENANT_ADMIN)
@require_POST
def round_publish_toggle(request, slug: str):
    pb_round = round_publish(
        pb_round=_round(slug), is_published=request.POST.get("is_published") == "1", actor=request.user
    )
    if pb_round.is_published:
        messages.success(request, _("The round is now shown on the citizen site."))
    else:
        messages.success(request, _("The round is no longer shown on the citizen site."))
    return redirect("console:round", slug=slug)


@role_required(TENANT_ADMIN)
def round_preview(request, slug: str):
    """The citizen front page of this round as it will look, published or not."""
    context = selectors.round_page_context(_round(slug))
    context["is_preview"] = True
    return render(request, "rounds/home.html", context)


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def phase_edit(request, slug: str, pk: int):
    pb_round = _round(slug)
    phase = get_object_or_404(Phase, round=pb_round, pk=pk)
    form = PhaseScheduleForm(
        request.POST or None, initial={"starts_at": phase.starts_at, "ends_at": phase.ends_at}
    )
    if request.method == "POST" and form.is_valid():
        try:
            phase_schedule(phase=phase, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The dates of %(phase)s were saved.") % {"phase": phase.label})
            return redirect("console:round", slug=slug)
    return render(request, "console/phase_edit.html", {"pb_round": pb_round, "phase": phase, "form": form})


@role_required(TENANT_ADMIN)
@require_POST
def round_shortlist_draw(request, slug: str):
    pb_round = _round(slug)
    try:
        favourites = round_shortlist(pb_round=pb_round, actor=request.user)
    except RuleViolation as exc:
        return _round_page(request, pb_round, status=400, shortlist_error=exc.message)
    text = ngettext(
        "%(count)s proposal is on the favourites list.",
        "%(count)s proposals are on the favourites list.",
        len(favourites),
    )
    messages.success(request, text % {"count": len(favourites)})
    return redirect("console:round", slug=slug)


@role_required(TENANT_ADMIN)
@require_POST
def round_assign(request, slug: str):
    """Assign the ticked proposals (from the full list, or one from its page) to a department."""
    pb_round = _round(slug)
    form = AssignForm(request.POST, pb_round=pb_round, departments=departments_all())
    if form.is_valid():
        try:
            changed = proposals_assign(
                proposals=list(form.cleaned_data["proposals"]),
                department=form.cleaned_data["department"],
                actor=request.user,
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            text = ngettext("%(count)s proposal was assigned.", "%(count)s proposals were assigned.", changed)
            messages.success(request, text % {"count": changed})
            chosen = form.cleaned_data["proposals"]
            if request.POST.get("return_to") == "proposal" and len(chosen) == 1:
                return redirect("console:proposal", pk=chosen[0].pk)
            return redirect("console:round", slug=slug)
    return _round_page(request, pb_round, status=400, assign_form=form)


@role_required(TENANT_ADMIN)
@require_POST
def round_result(request, slug: str):
    """Tally the counted ballots with the round's rule and publish the result, as a Celery task
    followed on the progress page."""
    pb_round = _round(slug)
    task_id, state = tally_queue(request, pb_round)
    if state and state["state"] == progress.FAILED:  # eager Celery: the rule already refused
        return _round_page(request, pb_round, status=400, result_error=failure_text(state))
    return redirect("console:task_progress", task_id=task_id)


@role_required(TENANT_ADMIN)
@require_POST
def round_hand_count(request, slug: str):
    """Publish the result from votes counted by hand (e.g. a voting day with paper only)."""
    pb_round = _round(slug)
    form = HandCountForm(request.POST, proposals=_ballot_list(pb_round))
    if form.is_valid():
        try:
            result_record(pb_round=pb_round, vote_counts=form.vote_counts(), actor=request.user)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The result is computed and published."))
            return redirect("console:round", slug=slug)
    return _round_page(request, pb_round, status=400, hand_count_form=form)


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def round_settings(request, slug: str):
    """Change a running round's settings within the model's ranges; ballot rules freeze with the
    first ballot. The phases stay as they were created."""
    pb_round = _round(slug)
    form = SettingsForm(request.POST or None, model=pb_round.model, values=pb_round.settings)
    if request.method == "POST" and form.is_valid():
        try:
            round_update_settings(pb_round=pb_round, settings=form.values, actor=request.user)
        except (RuleViolation, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("console:round", slug=slug)
    status = 400 if form.errors else 200
    return render(request, "console/round_settings.html", {"pb_round": pb_round, "form": form}, status=status)


@role_required(TENANT_ADMIN)
@require_POST
def round_evaluation(request, slug: str):
    pb_round = _round(slug)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            evaluation_publish(pb_round=pb_round, actor=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The evaluation is published."))
            return redirect("console:round", slug=slug)
    return _round_page(request, pb_round, status=400, evaluation_form=form)


# --- A proposal's decision chain ---


def _departments_for(user) -> list[str] | None:
    """None for a tenant admin (any department); a case worker's own departments otherwise."""
    return None if TENANT_ADMIN in user_roles(user) else user_departments(user)


def _proposal(pk: int, user) -> Proposal:
    """A submitted proposal; a case worker sees only those assigned to one of their departments."""
    proposal = get_object_or_404(
        Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related("round", "area", "theme"), pk=pk
    )
    departments = _departments_for(user)
    if departments is not None and proposal.department not in departments:
        raise PermissionDenied
    return proposal


def _assessing(departments: list[str] | None, proposal: Proposal) -> list[str] | None:
    """Whom a case worker assesses for: the department the proposal is assigned to (one of
    theirs, or they would not see it). A tenant admin names any department."""
    return None if departments is None else [proposal.department]


def _initial_department(proposal: Proposal) -> dict:
    return {"department": proposal.department} if proposal.department else {}


def _proposal_page(request, proposal: Proposal, status: int = 200, **forms):
    pb_round = proposal.round
    departments = _departments_for(request.user)
    context = {
        "proposal": proposal,
        "pb_round": pb_round,
        "is_admin": departments is None,
        "departments": departments_all(),
        "allows": {a for a in Action if console_selectors.round_allows(pb_round, a)},
        "assessment": getattr(proposal, "assessment", None),
        "decision": getattr(proposal, "decision", None),
        "assessment_form": forms.get("assessment_form")
        or AssessmentForm(
            proposal=proposal,
            departments=_assessing(departments, proposal),
            initial=_initial_department(proposal),
        ),
        "statement_form": forms.get("statement_form") or StatementForm(),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"amount": proposal.current_cost}),
        "implementation_form": forms.get("implementation_form") or ImplementationForm(),
    }
    return render(request, "console/proposal.html", context, status=status)


@role_required(TENANT_ADMIN, CASE_WORKER)
def proposal_detail(request, pk: int):
    return _proposal_page(request, _proposal(pk, request.user))


@role_required(TENANT_ADMIN, CASE_WORKER)
@require_POST
def proposal_assessment(request, pk: int):
    proposal = _proposal(pk, request.user)
    departments = _departments_for(request.user)
    form = AssessmentForm(request.POST, proposal=proposal, departments=_assessing(departments, proposal))
    if form.is_valid():
        data = form.cleaned_data
        try:
            proposal_assess(
                proposal=proposal,
                actor=request.user,
                department=data["department"],
                outcome=data["outcome"],
                public_reason=data["public_reason"],
                revised_cost=data["revised_cost"],
                failed_checks=list(data.get("failed_checks") or []),
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The assessment of “%(title)s” is saved.") % {"title": proposal.title}
            )
            if departments is None:
                return redirect("console:round", slug=proposal.round.slug)
            return redirect("console:dashboard")
    return _proposal_page(request, proposal, status=400, assessment_form=form)


@role_required(TENANT_ADMIN)
@require_POST
def proposal_statement(request, pk: int):
    proposal = _proposal(pk, request.user)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement_add(proposal=proposal, actor=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The statement is saved."))
            return redirect("console:proposal", pk=pk)
    return _proposal_page(request, proposal, status=400, statement_form=form)


@role_required(TENANT_ADMIN)
@require_POST
def proposal_decision(request, pk: int):
    proposal = _proposal(pk, request.user)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision_record(proposal=proposal, actor=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The decision is saved."))
            return redirect("console:round", slug=proposal.round.slug)
    return _proposal_page(request, proposal, status=400, decision_form=form)


@role_required(TENANT_ADMIN)
@require_POST
def proposal_implementation(request, pk: int):
    proposal = _proposal(pk, request.user)
    form = ImplementationForm(request.POST)
    if form.is_valid():
        try:
            implementation_update_post(proposal=proposal, actor=request.user, **form.cleaned_data)
        except (RuleViolation, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The update is posted."))
            return redirect("console:proposal", pk=pk)
    return _proposal_page(request, proposal, status=400, implementation_form=form)
