"""Assigning proposals to departments: an admin assigns one or several at once, it is audited, and a
case worker's queue (and what they may open and assess) is the proposals of their departments."""

import re

import pytest
from django.utils import translation

from rounds.console.roles import CASE_WORKER, TENANT_ADMIN
from rounds.console.selectors import assessment_queue
from rounds.models import AuditEntry, Proposal
from rounds.rules import RuleViolation
from rounds.services.assessments import proposals_assign
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, new_round

from .conftest import DEPARTMENT, make_staff

CULTURE = "Kultur og Fritid"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def assessing(aarhus):
    """An open-pot round in its assessment phase with three submitted proposals."""
    pb_round = new_round("open_pot", {"pot": 500_000}, slug="afdelinger")
    advance_to(pb_round, "ideas")
    proposals = [
        proposal_submit(pb_round=pb_round, author=None, author_name="Ida", title=t, description="-", cost=c)
        for t, c in (("Cykelsti", 200_000), ("Koncert", 50_000), ("Bibliotek", 90_000))
    ]
    advance_to(pb_round, "assessment")
    return pb_round, proposals


def test_assigning_is_audited_and_only_changes_count(assessing, people):
    pb_round, (path, concert, library) = assessing
    admin = people[TENANT_ADMIN]
    assert proposals_assign(proposals=[path, concert], department=f" {DEPARTMENT} ", actor=admin) == 2
    assert proposals_assign(proposals=[path, concert], department=DEPARTMENT, actor=admin) == 0
    assert proposals_assign(proposals=[concert], department=CULTURE, actor=admin) == 1
    assert dict(Proposal.objects.filter(round=pb_round).values_list("title", "department")) == {
        "Cykelsti": DEPARTMENT,
        "Koncert": CULTURE,
        "Bibliotek": "",
    }
    last = AuditEntry.objects.filter(action="proposal_assign", object_id=str(concert.pk)).first()
    assert (last.old_value, last.new_value, last.actor) == (
        {"department": DEPARTMENT},
        {"department": CULTURE},
        admin,
    )
    draft = Proposal.objects.create(
        round=pb_round, author_name="Bo", title="Kladde", description="-", cost=1_000
    )
    with pytest.raises(RuleViolation) as refused:
        proposals_assign(proposals=[draft], department=DEPARTMENT, actor=admin)
    assert refused.value.code == "not_assignable"


def test_the_queue_holds_the_proposals_of_ones_own_departments(assessing, people):
    _round, (path, concert, library) = assessing
    proposals_assign(proposals=[path], department=DEPARTMENT, actor=None)
    proposals_assign(proposals=[concert], department=CULTURE, actor=None)
    assert assessment_queue([DEPARTMENT]) == [path]
    assert assessment_queue([DEPARTMENT, CULTURE]) == [path, concert]
    assert assessment_queue([]) == []
    assert assessment_queue(None) == [path, concert, library]  # a tenant admin: all, unassigned too


def test_a_case_worker_sees_and_assesses_only_their_departments_proposals(assessing, people, console_client):
    _round, (path, concert, library) = assessing
    admin = console_client(people[TENANT_ADMIN])
    make_staff("kulturmedarbejder", [CASE_WORKER], [CULTURE])  # the culture department exists
    response = admin.post(
        "/admin-konsol/runder/afdelinger/tildel-afdeling/",
        {"proposals": [path.pk, library.pk], "department": DEPARTMENT},
    )
    assert response.status_code == 302
    admin.post(
        "/admin-konsol/runder/afdelinger/tildel-afdeling/", {"proposals": [concert.pk], "department": CULTURE}
    )
    worker = console_client(people[CASE_WORKER])
    queue = _text(worker.get("/admin-konsol/"))
    assert "Cykelsti" in queue and "Bibliotek" in queue and "Koncert" not in queue
    assert worker.get(f"/admin-konsol/forslag/{concert.pk}/").status_code == 403
    foreign = worker.post(f"/admin-konsol/forslag/{concert.pk}/vurdering/", {"outcome": "feasible"})
    assert foreign.status_code == 403 and not hasattr(Proposal.objects.get(pk=concert.pk), "assessment")
    page = _text(worker.get(f"/admin-konsol/forslag/{path.pk}/"))
    assert f'<option value="{DEPARTMENT}" selected>{DEPARTMENT}</option>' in page
    saved = worker.post(
        f"/admin-konsol/forslag/{path.pk}/vurdering/", {"department": DEPARTMENT, "outcome": "feasible"}
    )
    assert saved.status_code == 302
    assert Proposal.objects.get(pk=path.pk).assessment.department == DEPARTMENT


def test_assigning_without_a_ticked_proposal_lists_the_error(assessing, people, console_client):
    admin = console_client(people[TENANT_ADMIN])
    admin.cookies["django_language"] = "en"
    page = _text(admin.get("/admin-konsol/runder/afdelinger/"))
    assert 'aria-labelledby="proposal-' in page and f'<option value="{DEPARTMENT}">' in page
    refused = admin.post("/admin-konsol/runder/afdelinger/tildel-afdeling/", {"department": DEPARTMENT})
    with translation.override("en"):
        assert refused.status_code == 400 and "Tick at least one proposal." in _text(refused)
    assert not AuditEntry.objects.filter(action="proposal_assign").exists()


def test_an_unassigned_proposal_belongs_to_the_department_that_assessed_it(assessing, people):
    from rounds.services.assessments import proposal_assess

    _round, (path, concert, library) = assessing
    proposals_assign(proposals=[concert], department=CULTURE, actor=None)
    proposal_assess(proposal=path, actor=None, department=f" {DEPARTMENT}", outcome="feasible")
    proposal_assess(proposal=concert, actor=people[TENANT_ADMIN], department=DEPARTMENT, outcome="feasible")
    departments = dict(Proposal.objects.values_list("title", "department"))
    assert (departments["Cykelsti"], departments["Koncert"], departments["Bibliotek"]) == (
        DEPARTMENT,
        CULTURE,
        "",
    )


def test_the_upgrade_gives_proposals_assessed_before_assignments_their_assessing_department(assessing):
    import importlib

    from django.apps import apps

    from rounds.models import Assessment

    _round, (path, concert, library) = assessing
    Assessment.objects.create(
        proposal=path, department="Teknik og Miljø", outcome="feasible", assessed_at=path.created_at
    )
    Proposal.objects.filter(pk=concert.pk).update(department=CULTURE)
    Assessment.objects.create(
        proposal=concert, department="Teknik og Miljø", outcome="feasible", assessed_at=path.created_at
    )
    migration = importlib.import_module("rounds.migrations.0010_proposal_department_from_assessments")
    migration.assign_from_assessments(apps, None)
    departments = dict(Proposal.objects.values_list("title", "department"))
    assert (departments["Cykelsti"], departments["Koncert"], departments["Bibliotek"]) == (
        "Teknik og Miljø",
        CULTURE,
        "",
    )
