"""Proposals: submit and edit under the round's rules, comments, and the favourites list."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from models_catalogue.base import Action, Proposers
from rounds import rules, selectors
from rounds.models import Area, ChecklistItem, Comment, Proposal, Round, Theme
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record

EDITABLE = (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED)


def _content_problem(
    pb_round: Round, *, cost: int, area: Area | None, theme: Theme | None, checklist_confirmed: list[int]
) -> tuple[str, dict] | None:
    effective = pb_round.rules
    if theme is not None and theme.round_id != pb_round.pk:
        return "foreign_theme", {}
    if area is not None and area.round_id != pb_round.pk:
        return "foreign_area", {}
    if effective.themes_required and theme is None:
        return "theme_required", {}
    if effective.has_areas and area is None and pb_round.areas.exists():
        return "area_required", {}
    if problem := rules.cost_problem(pb_round, cost, area):
        return problem
    if effective.self_qualification:
        required = set(
            ChecklistItem.objects.filter(
                round=pb_round, kind=ChecklistItem.Kind.SELF_QUALIFICATION
            ).values_list("id", flat=True)
        )
        if not required <= set(checklist_confirmed):
            return "checklist_incomplete", {}
    return None


def _raise(problem: tuple[str, dict] | None) -> None:
    if problem:
        code, params = problem
        raise RuleViolation(code, **params)


@transaction.atomic
def proposal_submit(
    *,
    pb_round: Round,
    author,
    author_name: str,
    title: str,
    description: str,
    cost: int,
    author_email: str = "",
    summary: str = "",
    area: Area | None = None,
    theme: Theme | None = None,
    checklist_confirmed: list[int] = (),
    as_draft: bool = False,
) -> Proposal:
    """Submit a proposal (or save a draft) in a phase that takes proposals.

    Raises RuleViolation: phase closed, cost over the cap or pot, theme or area missing, checklist
    not confirmed, or only delegates may propose.
    """
    if reason := rules.action_problem(pb_round, Action.PROPOSE):
        raise RuleViolation(reason)
    if pb_round.rules.proposers == Proposers.DELEGATES and not (
        author is not None and pb_round.delegates.filter(user=author).exists()
    ):
        raise RuleViolation("delegates_only")
    checklist_confirmed = list(checklist_confirmed)
    if not as_draft:
        _raise(
            _content_problem(
                pb_round, cost=cost, area=area, theme=theme, checklist_confirmed=checklist_confirmed
            )
        )
    proposal = Proposal(
        round=pb_round,
        author=author,
        author_name=author_name,
        author_email=author_email or getattr(author, "email", "") or "",
        title=title,
        summary=summary,
        description=description,
        cost=cost,
        area=area,
        theme=theme,
        checklist_confirmed=checklist_confirmed,
        status=Proposal.Status.DRAFT if as_draft else Proposal.Status.SUBMITTED,
        submitted_at=None if as_draft else timezone.now(),
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=author, action="proposal_submit", obj=proposal, new={"status": proposal.status, "cost": cost}
    )
    return proposal


@transaction.atomic
def proposal_edit(*, proposal: Proposal, editor, submit: bool = False, **changes) -> Proposal:
    """Change a draft or submitted proposal while proposals are taken; `submit=True` submits a draft.

    Raises RuleViolation as proposal_submit does, or when someone else than the proposer edits.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id is None or editor is None or proposal.author_id != editor.pk:
        raise RuleViolation("not_author")
    if proposal.status not in EDITABLE:
        raise RuleViolation("not_editable")
    if reason := rules.action_problem(proposal.round, Action.PROPOSE):
        raise RuleViolation(reason)
    allowed = {"title", "summary", "description", "cost", "area", "theme", "checklist_confirmed"}
    old = {name: _plain(getattr(proposal, name)) for name in changes if name in allowed}
    for name, value in changes.items():
        if name not in allowed:
            raise TypeError(f"{name} cannot be edited")
        setattr(proposal, name, value)
    if submit or proposal.status == Proposal.Status.SUBMITTED:
        _raise(
            _content_problem(
                proposal.round,
                cost=proposal.cost,
                area=proposal.area,
                theme=proposal.theme,
                checklist_confirmed=list(proposal.checklist_confirmed),
            )
        )
    if submit and proposal.status == Proposal.Status.DRAFT:
        proposal.status, proposal.submitted_at = Proposal.Status.SUBMITTED, timezone.now()
        old["status"] = Proposal.Status.DRAFT
    proposal.full_clean()
    proposal.save()
    new = {name: _plain(getattr(proposal, name)) for name in old}
    audit_record(actor=editor, action="proposal_edit", obj=proposal, old=old, new=new)
    return proposal


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def comment_add(*, proposal: Proposal, author, author_name: str, body: str) -> Comment:
    """Comment on a proposal while the phase allows comments. Raises RuleViolation otherwise."""
    if reason := rules.action_problem(proposal.round, Action.COMMENT):
        raise RuleViolation(reason)
    comment = Comment(proposal=proposal, author=author, author_name=author_name, body=body)
    comment.full_clean()
    comment.save()
    audit_record(actor=author, action="comment_add", obj=comment, new={"proposal": proposal.pk})
    return comment


@transaction.atomic
def round_shortlist(*, pb_round: Round, actor=None) -> list[Proposal]:
    """Put the favourites (top N per theme by net support) on the favourites list.

    The rest stay submitted and visible: the council sees the full list too.
    """
    if reason := rules.action_problem(pb_round, Action.SHORTLIST):
        raise RuleViolation(reason)
    favourites = [p for group in selectors.proposal_favourites(pb_round).values() for p in group]
    ids = [p.pk for p in favourites]
    Proposal.objects.filter(pk__in=ids, status=Proposal.Status.SUBMITTED).update(
        status=Proposal.Status.SHORTLISTED
    )
    audit_record(actor=actor, action="round_shortlist", obj=pb_round, new=ids)
    return list(Proposal.objects.filter(pk__in=ids))
