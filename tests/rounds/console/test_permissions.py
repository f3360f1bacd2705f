"""Who reaches which console page: every view against every role, anonymous visitors and the
staff of another municipality."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from rounds.console import urls as console_urls
from rounds.console.progress import progress_start
from rounds.console.roles import CASE_WORKER, MODERATOR, TENANT_ADMIN, VOTING_DAY
from rounds.models import Area, AreaApplication, PaperEntry
from rounds.services.assessments import proposals_assign
from rounds.services.proposals import comment_add, proposal_submit
from tests.conftest import host_client
from tests.rounds.console.conftest import DEPARTMENT, make_staff
from tests.rounds.helpers import advance_to, new_round

ALL = {TENANT_ADMIN, CASE_WORKER, MODERATOR, VOTING_DAY}
ADMIN = {TENANT_ADMIN}

# (url name, which kwargs, HTTP method, roles allowed). Tenant admins may do everything.
MATRIX = [
    ("dashboard", None, "get", ALL),
    ("catalogue", None, "get", ADMIN),
    ("compare", None, "get", ADMIN),
    ("round_start", "model", "get", ADMIN),
    ("round_start_preset", None, "get", ADMIN),
    ("staff", None, "get", ADMIN),
    ("round", "round", "get", ADMIN),
    ("round_advance", "round", "post", ADMIN),
    ("phase_edit", "phase", "get", ADMIN),
    ("round_publish", "round", "post", ADMIN),
    ("round_preview", "round", "get", ADMIN),
    ("round_shortlist", "round", "post", ADMIN),
    ("round_result", "round", "post", ADMIN),
    ("round_evaluation", "round", "post", ADMIN),
    ("export_proposals", "round", "get", ADMIN),
    ("export_results", "round", "get", ADMIN),
    ("export_archive", "round", "get", ADMIN),
    ("export_proposals_xlsx", "round", "get", ADMIN),
    ("export_results_xlsx", "round", "get", ADMIN),
    ("import_round", None, "get", ADMIN),
    ("task_progress", "task", "get", ADMIN),
    ("task_progress_json", "task", "get", ADMIN),
    ("import_proposals", "round", "get", ADMIN),
    ("audit", None, "get", ADMIN),
    ("proposal", "proposal", "get", ADMIN | {CASE_WORKER}),
    ("proposal_assessment", "proposal", "post", ADMIN | {CASE_WORKER}),
    ("proposal_statement", "proposal", "post", ADMIN),
    ("proposal_decision", "proposal", "post", ADMIN),
    ("proposal_implementation", "proposal", "post", ADMIN),
    ("moderation", None, "get", ADMIN | {MODERATOR}),
    ("comment_hide", "comment", "post", ADMIN | {MODERATOR}),
    ("comment_restore", "comment", "post", ADMIN | {MODERATOR}),
    ("voting_rounds", None, "get", ADMIN | {VOTING_DAY}),
    ("paper_entry", "round", "get", ADMIN | {VOTING_DAY}),
    ("ballot_count", "round", "get", ADMIN | {VOTING_DAY}),
    ("kiosk_start", "round", "get", ADMIN | {VOTING_DAY}),
    ("kiosk_ballot", "round", "get", ADMIN | {VOTING_DAY}),
    ("round_areas", "round", "get", ADMIN),
    ("area_pot", "area", "post", ADMIN),
    ("areas_split", "round", "post", ADMIN),
    ("application_add", "round", "post", ADMIN),
    ("application_decide", "application", "post", ADMIN),
    ("round_people", "round", "get", ADMIN),
    ("round_participation", "round", "get", ADMIN),
    ("export_ballots_pb", "round", "get", ADMIN),
    ("round_hand_count", "round", "post", ADMIN),
    ("round_settings", "round", "get", ADMIN),
    ("round_double_entry", "round", "post", ADMIN),
    ("paper_entries", "round", "get", ADMIN),
    ("paper_entry_resolve", "paper_entry", "post", ADMIN),
    ("round_assign", "round", "post", ADMIN),
    ("round_eligible", "round", "post", ADMIN),
]
PUBLIC = {"login", "logout"}
# Views that answer 404 for an allowed role when the fixture's round has nothing to give.
EMPTY_IS_404 = {"export_ballots_pb"}


@pytest.fixture
def objects(aarhus):
    pb_round = new_round("koeln", {"pot": 1_000_000, "favourites_per_theme": 2}, themes=["Kultur"])
    advance_to(pb_round, "ideas")
    proposal = proposal_submit(
        pb_round=pb_round, author=None, author_name="Ida", title="Bænke ved åen", description="Fem bænke",
        cost=40_000, theme=pb_round.themes.get(),
    )  # fmt: skip
    proposals_assign(proposals=[proposal], department=DEPARTMENT, actor=None)  # the case worker's
    comment = comment_add(proposal=proposal, author=None, author_name="Bo", body="God idé")
    area = Area.objects.create(round=pb_round, name="Midtbyen", kind=Area.Kind.CITY_DISTRICT)
    application = AreaApplication.objects.create(round=pb_round, applicant="Lokalrådet", process_plan="Møder")
    entry = PaperEntry.objects.create(round=pb_round, serial="P-1", entered_at=timezone.now())
    task_id = str(uuid.uuid4())
    progress_start(task_id, kind="tally", total=1, slug=pb_round.slug)
    return {
        "model": {"key": "koeln"},
        "round": {"slug": pb_round.slug},
        "phase": {"slug": pb_round.slug, "pk": pb_round.phases.first().pk},
        "proposal": {"pk": proposal.pk},
        "comment": {"pk": comment.pk},
        "area": {"slug": pb_round.slug, "pk": area.pk},
        "application": {"slug": pb_round.slug, "pk": application.pk},
        "task": {"task_id": task_id},
        "paper_entry": {"slug": pb_round.slug, "pk": entry.pk},
    }


def _url(name, kwargs_key, objects):
    return reverse(f"console:{name}", kwargs=objects[kwargs_key] if kwargs_key else None)


def test_the_matrix_covers_every_console_view():
    names = {p.name for p in console_urls.urlpatterns}
    assert names - PUBLIC == {name for name, *_ in MATRIX}


@pytest.mark.parametrize("role", [TENANT_ADMIN, CASE_WORKER, MODERATOR, VOTING_DAY, "citizen"])
def test_each_role_reaches_exactly_its_part_of_the_console(role, people, objects, console_client):
    client = console_client(people[role])
    reached, refused = set(), set()
    for name, kwargs_key, method, _allowed in MATRIX:
        response = getattr(client, method)(_url(name, kwargs_key, objects))
        if response.status_code == 403:
            refused.add(name)
        else:
            expected = (200, 302, 400, 404) if name in EMPTY_IS_404 else (200, 302, 400)
            assert response.status_code in expected, (name, response.status_code)
            assert "/log-ind/" not in response.get("Location", ""), name
            reached.add(name)
    expected = {name for name, _k, _m, allowed in MATRIX if role in allowed}
    assert reached == expected
    assert refused == {name for name, *_ in MATRIX} - expected


def test_anonymous_visitors_are_sent_to_the_console_login(objects, aarhus_client):
    for name, kwargs_key, method, _allowed in MATRIX:
        url = _url(name, kwargs_key, objects)
        response = getattr(aarhus_client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/admin-konsol/log-ind/?next="), name


def test_the_login_page_logs_staff_in_and_out(people, aarhus_client):
    page = aarhus_client.get("/admin-konsol/log-ind/")
    assert page.status_code == 200 and 'for="id_username"' in page.content.decode()
    refused = aarhus_client.post("/admin-konsol/log-ind/", {"username": "moderator", "password": "wrong"})
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    response = aarhus_client.post(
        "/admin-konsol/log-ind/?next=/admin-konsol/moderation/",
        {"username": "moderator", "password": "console-test-password", "next": "/admin-konsol/moderation/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin-konsol/moderation/"
    assert aarhus_client.get("/admin-konsol/moderation/").status_code == 200
    aarhus_client.post("/admin-konsol/log-ud/")
    assert aarhus_client.get("/admin-konsol/moderation/").status_code == 302


def test_another_municipalitys_staff_get_nothing(people, objects, aarhus_client):
    """Aarhus' tenant admin: the login does not exist in Kolding, and Aarhus' session is no session there."""
    aarhus_client.post(
        "/admin-konsol/log-ind/", {"username": "forvalter", "password": "console-test-password"}
    )
    assert aarhus_client.get("/admin-konsol/").status_code == 200
    kolding = host_client("kolding.localhost")
    refused = kolding.post(
        "/admin-konsol/log-ind/", {"username": "forvalter", "password": "console-test-password"}
    )
    assert refused.status_code == 200 and "sessionid" not in refused.cookies
    kolding.cookies["sessionid"] = aarhus_client.cookies["sessionid"].value
    for name, kwargs_key, method, _allowed in MATRIX:
        response = getattr(kolding, method)(_url(name, kwargs_key, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/admin-konsol/log-ind/"), name


def test_kolding_staff_do_not_see_aarhus_rounds(objects, kolding):
    kolding_admin = make_staff("kolding-forvalter", [TENANT_ADMIN])
    client = host_client("kolding.localhost")
    client.force_login(kolding_admin)
    assert client.get(_url("round", "round", objects)).status_code == 404
    assert client.get(_url("proposal", "proposal", objects)).status_code == 404
    assert objects["round"]["slug"] not in client.get("/admin-konsol/").content.decode()


def test_the_console_is_danish_by_default_and_english_when_chosen(people, console_client):
    client = console_client(people[CASE_WORKER])
    assert "<h1>Administrationskonsol</h1>" in client.get("/admin-konsol/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/admin-konsol/").content.decode()
    assert "<h1>Admin console</h1>" in page and "Waiting for assessment" in page
