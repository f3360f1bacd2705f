"""Meetings with sign-ups, and delegates."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from models_catalogue.base import Action
from rounds import rules
from rounds.models import Delegate, Meeting, MeetingSignup, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record


@transaction.atomic
def meeting_create(
    *, pb_round: Round, kind: str, title: str, location: str, starts_at, capacity=None, area=None, actor=None
):
    meeting = Meeting(
        round=pb_round,
        kind=kind,
        title=title,
        location=location,
        starts_at=starts_at,
        capacity=capacity,
        area=area,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor, action="meeting_create", obj=meeting, new={"title": title, "capacity": capacity}
    )
    return meeting


def meeting_sign_up(*, meeting: Meeting, name: str, email: str) -> MeetingSignup:
    """Sign up for a meeting with room left. Raises RuleViolation when full, closed or already signed up."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(
            pk=meeting.pk
        )  # serialise sign-ups for the last seats
        if reason := rules.action_problem(locked.round, Action.SIGN_UP):
            raise RuleViolation(reason)
        if locked.capacity is not None and locked.signups.count() >= locked.capacity:
            raise RuleViolation("meeting_full")
        try:
            with transaction.atomic():
                signup = MeetingSignup.objects.create(meeting=locked, name=name, email=email.lower())
        except IntegrityError:
            raise RuleViolation("already_signed_up") from None
        audit_record(actor=None, action="meeting_sign_up", obj=signup, new={"meeting": locked.pk})
        return signup


@transaction.atomic
def delegate_choose(
    *, pb_round: Round, name: str, email: str = "", user=None, area=None, actor=None
) -> Delegate:
    """Record a delegate chosen by the participants (Porto Alegre)."""
    if not pb_round.rules.delegates:
        raise RuleViolation("delegates_off")
    if reason := rules.action_problem(pb_round, Action.CHOOSE_DELEGATES):
        raise RuleViolation(reason)
    delegate = Delegate.objects.create(
        round=pb_round, name=name, email=email, user=user, area=area, chosen_at=timezone.now()
    )
    audit_record(actor=actor, action="delegate_choose", obj=delegate, new={"name": name})
    return delegate
