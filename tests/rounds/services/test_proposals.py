"""Proposals, supports and comments under the round's rules and phase."""

import pytest
from django.core import mail

from rounds.models import Proposal, Support
from rounds.rules import RuleViolation
from rounds.selectors import proposals_with_support
from rounds.services.assessments import proposal_assess
from rounds.services.proposals import comment_add, proposal_edit, proposal_submit
from rounds.services.rounds import round_create_from_preset
from rounds.services.supports import support_give
from tests.rounds.helpers import START, advance_to, citizen, new_round, staff


@pytest.fixture
def kolding_round(aarhus):
    return round_create_from_preset(preset_key="kolding_braendkjaer", starts_at=START, slug="braendkjaer")


def _submit(pb_round, author, **kwargs):
    values = {"title": "Fællesspisning", "description": "Hver torsdag i klubhuset", "cost": 8_000}
    values.update(kwargs)
    return proposal_submit(pb_round=pb_round, author=author, author_name=author.username, **values)


def test_no_proposals_before_the_proposal_phase(kolding_round):
    with pytest.raises(RuleViolation) as excinfo:
        _submit(kolding_round, citizen())
    assert excinfo.value.code == "phase_closed"


def test_a_draft_may_break_the_rules_until_it_is_submitted(kolding_round):
    advance_to(kolding_round, "ideas")
    author = citizen()
    draft = _submit(kolding_round, author, cost=20_000, as_draft=True)
    assert draft.status == Proposal.Status.DRAFT
    with pytest.raises(RuleViolation) as excinfo:
        proposal_edit(proposal=draft, editor=author, submit=True)
    assert excinfo.value.code == "over_cap"
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT and draft.cost == 20_000  # nothing lost
    items = list(kolding_round.checklist_items.values_list("id", flat=True))
    submitted = proposal_edit(
        proposal=draft, editor=author, submit=True, cost=14_500, checklist_confirmed=items
    )
    assert submitted.status == Proposal.Status.SUBMITTED and submitted.submitted_at is not None


def test_only_the_proposer_edits(kolding_round):
    advance_to(kolding_round, "ideas")
    draft = _submit(kolding_round, citizen(), as_draft=True)
    with pytest.raises(RuleViolation) as excinfo:
        proposal_edit(proposal=draft, editor=citizen(), title="Kapret")
    assert excinfo.value.code == "not_author"


def test_a_second_support_from_the_same_person_replaces_the_first(aarhus):
    pb_round = new_round("koeln", themes=["Klima"])
    advance_to(pb_round, "ideas")
    proposal = _submit(pb_round, citizen(), theme=pb_round.themes.get())
    voter = citizen()
    support_give(proposal=proposal, user=voter, value=1)
    support_give(proposal=proposal, user=voter, value=-1)
    assert Support.objects.filter(proposal=proposal, user=voter).count() == 1
    counted = proposals_with_support(pb_round).get(pk=proposal.pk)
    assert (counted.supports_for, counted.supports_against, counted.net_support) == (0, 1, -1)


def test_supports_are_refused_where_the_round_has_none(kolding_round):
    advance_to(kolding_round, "ideas")
    items = list(kolding_round.checklist_items.values_list("id", flat=True))
    proposal = _submit(kolding_round, citizen(), checklist_confirmed=items)
    with pytest.raises(RuleViolation) as excinfo:
        support_give(proposal=proposal, user=citizen())
    assert excinfo.value.code == "supports_off"


def test_comments_only_while_the_phase_allows_them(aarhus):
    pb_round = new_round("koeln", themes=["Klima"])
    advance_to(pb_round, "ideas")
    proposal = _submit(pb_round, citizen(), theme=pb_round.themes.get())
    comment_add(proposal=proposal, author=None, author_name="Anne", body="<script>alert(1)</script> Godt!")
    assert proposal.comments.get().body.startswith("<script>")  # stored as typed; templates escape it
    advance_to(pb_round, "shortlist")
    with pytest.raises(RuleViolation) as excinfo:
        comment_add(proposal=proposal, author=None, author_name="Anne", body="For sent")
    assert excinfo.value.code == "phase_closed"
    assert proposal.comments.count() == 1


def test_an_assessment_emails_the_author_and_shows_the_reason(
    aarhus, django_capture_on_commit_callbacks, celery_eager
):
    pb_round = new_round("open_pot", checklist={"legal": ["Ingen erhvervsstøtte"]})
    advance_to(pb_round, "ideas")
    author = citizen("forslagsstiller", email="stiller@example.invalid")
    proposal = _submit(pb_round, author, title="Tilskud til købmand")
    advance_to(pb_round, "assessment")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_assess(
            proposal=proposal, actor=staff(), department="Jura", outcome="feasible",
            failed_checks=[pb_round.checklist_items.get()],
        )  # fmt: skip
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["stiller@example.invalid"]
    assert message.subject == "Dit forslag “Tilskud til købmand” er blevet vurderet"
    assert "Afvist" in message.body and "Begrundelse: Ingen erhvervsstøtte" in message.body
    assert "Aarhus Kommune" in message.body
    assert "Ingen erhvervsstøtte" in message.alternatives[0][0]
