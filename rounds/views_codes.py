"""Voting with a code from a letter: the citizen's form, and staff pages for batches and letters.

The citizen enters the code; a valid one becomes the voter's identity in the session and leads
to the ballot. The code is spent only when the ballot is cast (rounds/services/codes.py).
Staff create batches (a Celery task makes the codes and their letters; the console's progress
page follows it), download the letters and delete them after mailing, and revoke a batch whose
letters went astray.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from models_catalogue.base import Action
from rounds import rules, selectors
from rounds.console import progress
from rounds.console.roles import TENANT_ADMIN, user_roles
from rounds.console.views_tasks import LETTERS, failure_text, task_queue
from rounds.models import Round, VotingCodeBatch
from rounds.rules import RuleViolation
from rounds.services.codes import (
    MAX_BATCH_SIZE,
    client_key_from_request,
    code_batch_check,
    code_batch_revoke,
    code_letters_delete,
    code_redeem,
)
from rounds.tasks import code_letters_progress_total, code_letters_render
from rounds.voting_session import identity_store


def _published_round(slug: str) -> Round:
    try:
        return selectors.round_get_published(slug)
    except Round.DoesNotExist:
        raise Http404 from None


def _closed_reason(pb_round: Round) -> str | None:
    if reason := rules.action_problem(pb_round, Action.VOTE):
        return reason
    if not (pb_round.rules.online_voting and pb_round.rules.code_verification):
        return "codes_off"
    return None


@require_http_methods(["GET", "POST"])
def vote_code(request, slug: str):
    """Enter the voting code from your letter."""
    pb_round = _published_round(slug)
    context = {"pb_round": pb_round, "code": ""}
    if reason := _closed_reason(pb_round):
        context["closed"] = RuleViolation(reason).message
        return render(request, "rounds/vote_code.html", context)
    if request.method == "POST":
        code = request.POST.get("code", "")[:60]
        try:
            identity = code_redeem(pb_round=pb_round, code=code, client_key=client_key_from_request(request))
        except RuleViolation as exc:
            context.update(error=exc.message, code=code)
            status = 429 if exc.code == "too_many_attempts" else 400
            return render(request, "rounds/vote_code.html", context, status=status)
        identity_store(request, round_id=pb_round.pk, identity=identity)
        return redirect("rounds:ballot", slug=slug)
    return render(request, "rounds/vote_code.html", context)


def _staff(view):
    """The console's tenant admins, and Django staff of the municipality who may create voting
    codes (a superuser may); anyone else logged in to the console gets 403."""
    django_staff = staff_member_required(
        permission_required("rounds.add_votingcodebatch", raise_exception=True)(view)
    )

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if TENANT_ADMIN in user_roles(request.user):
            return view(request, *args, **kwargs)
        if user_roles(request.user):  # other console roles: not their part
            raise PermissionDenied
        return django_staff(request, *args, **kwargs)

    return wrapped


def _round(slug: str) -> Round:
    return get_object_or_404(Round, slug=slug)


def _batch(slug: str, pk: int) -> VotingCodeBatch:
    return get_object_or_404(VotingCodeBatch.objects.select_related("round", "area"), pk=pk, round__slug=slug)


@_staff
@require_http_methods(["GET", "POST"])
def code_batches(request, slug: str):
    """A round's batches of voting codes; the form starts a task that makes a new one and leads to
    its progress page."""
    pb_round = _round(slug)
    if request.method == "POST":
        try:
            task_id = _create(request, pb_round)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect("rounds:code_batches", slug=slug)
        state = progress.progress_get(task_id)
        if state and state["state"] == progress.FAILED:  # eager Celery: the task already refused
            messages.error(request, failure_text(state))
            return redirect("rounds:code_batches", slug=slug)
        return redirect("console:task_progress", task_id=task_id)
    batches = pb_round.code_batches.select_related("area", "created_by")
    context = {
        "pb_round": pb_round,
        "batches": batches,
        "max_size": MAX_BATCH_SIZE,
        "areas": pb_round.areas.all(),
    }
    return render(request, "rounds/code_batches.html", context)


def _create(request, pb_round: Round) -> str:
    """Queue the task that makes the batch and its letters; returns the task's id. Refuses what
    can be refused at once rather than in the background."""
    raw_size, raw_area = request.POST.get("size", ""), request.POST.get("area", "")
    if not raw_size.isdigit():
        raise RuleViolation("code_batch_size", maximum=MAX_BATCH_SIZE)
    size, label = int(raw_size), request.POST.get("label", "")
    area = pb_round.areas.filter(pk=int(raw_area)).first() if raw_area.isdigit() else None
    if raw_area and area is None:
        raise RuleViolation("foreign_area")
    code_batch_check(pb_round=pb_round, size=size, area=area)
    return task_queue(
        code_letters_render,
        kind=LETTERS,
        slug=pb_round.slug,
        total=code_letters_progress_total(size),
        args=(pb_round.pk, size, area.pk if area else None, label, request.user.pk),
    )


@_staff
def code_letters_download(request, slug: str, pk: int):
    batch = _batch(slug, pk)
    if not batch.letters:
        raise Http404
    return FileResponse(batch.letters.open("rb"), as_attachment=True, filename=f"stemmekoder-{batch.pk}.pdf")


@_staff
@require_POST
def code_letters_remove(request, slug: str, pk: int):
    code_letters_delete(batch=_batch(slug, pk), actor=request.user)
    messages.success(request, _("The letters are deleted."))
    return redirect("rounds:code_batches", slug=slug)


@_staff
@require_POST
def code_batch_cancel(request, slug: str, pk: int):
    try:
        code_batch_revoke(batch=_batch(slug, pk), actor=request.user)
        messages.success(request, _("The batch is revoked: its unused codes no longer work."))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("rounds:code_batches", slug=slug)
