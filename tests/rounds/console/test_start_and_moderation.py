"""Starting a round (settings form with every problem listed, presets), staff accounts, and
moderation of comments with a public reason."""

import re

import pytest
from django.core.exceptions import ValidationError

from rounds.console.roles import CASE_WORKER, MODERATOR, TENANT_ADMIN, user_departments, user_roles
from rounds.models import AuditEntry, Comment, Round
from rounds.services.moderation import comment_hide, comment_restore
from rounds.services.proposals import comment_add, proposal_submit
from tests.rounds.helpers import advance_to, new_round

from .test_round_run import start_data


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_settings_form_shows_the_allowed_ranges(people, console_client):
    html = _text(console_client(people[TENANT_ADMIN]).get("/admin-konsol/runder/ny/porto_alegre/"))
    assert 'id="id_setting-pot_helptext">' in html and "1.000" in html and "1.000.000.000" in html
    assert 'aria-describedby="id_setting-pot_helptext"' in html
    assert "<legend>" in html and 'name="days-voting"' in html


def test_invalid_settings_are_refused_with_every_problem_listed(people, console_client):
    data = start_data(
        "porto_alegre", "for-lille", pot="10000", project_cap="90000", min_project_cost="mange",
        approval_min="5", approval_max="2", min_voting_age="30",
    )  # fmt: skip
    response = console_client(people[TENANT_ADMIN]).post("/admin-konsol/runder/ny/porto_alegre/", data)
    html = _text(response)
    assert response.status_code == 400 and not Round.objects.filter(slug="for-lille").exists()
    for field in ("project_cap", "min_project_cost", "approval_min", "min_voting_age"):
        assert f'id="id_setting-{field}_error"' in html, field
        assert re.search(f'aria-describedby="[^"]*id_setting-{field}_error"', html), field
    assert 'class="error-summary" role="alert"' in html
    assert html.count('<li><a href="#id_setting-') == 4
    assert '(valgfrit)</span></label> <p class="help" id="id_setting-pot_helptext"' not in html


def test_a_round_starts_from_a_preset(people, console_client):
    response = console_client(people[TENANT_ADMIN]).post(
        "/admin-konsol/runder/ny-fra-skabelon/",
        {"preset": "kolding_braendkjaer", "title": "", "slug": "braendkjaer-2027", "starts_on": "2027-04-01"},
    )
    assert response.status_code == 302
    pb_round = Round.objects.get(slug="braendkjaer-2027")
    assert pb_round.title == "Brændkjær Bestemmer" and pb_round.rules.project_cap == 15_000
    assert AuditEntry.objects.filter(action="round_create", actor=people[TENANT_ADMIN]).exists()


def test_a_taken_short_name_is_refused(people, console_client):
    new_round("open_pot", slug="optaget")
    response = console_client(people[TENANT_ADMIN]).post(
        "/admin-konsol/runder/ny-fra-skabelon/",
        {"preset": "koeln_byen", "slug": "optaget", "starts_on": "2027-04-01"},
    )
    assert response.status_code == 200 and 'id="id_slug_error"' in response.content.decode()


def test_a_tenant_admin_adds_a_case_worker_for_a_department(people, console_client):
    response = console_client(people[TENANT_ADMIN]).post(
        "/admin-konsol/personale/",
        {
            "username": "jurist",
            "password": "en-lang-adgangskode-42",
            "roles": [CASE_WORKER],
            "departments": "Jura\nKultur",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    jurist = get_user_model().objects.get(username="jurist")
    assert user_roles(jurist) == {CASE_WORKER} and user_departments(jurist) == ["Jura", "Kultur"]
    assert jurist.check_password("en-lang-adgangskode-42") and not jurist.is_superuser


@pytest.fixture
def comment(aarhus):
    pb_round = new_round("koeln", {"pot": 1_000_000}, themes=["Kultur"])
    advance_to(pb_round, "ideas")
    proposal = proposal_submit(
        pb_round=pb_round, author=None, author_name="Ida", title="Bænke", description="Fem", cost=1_000,
        theme=pb_round.themes.get(),
    )  # fmt: skip
    return comment_add(proposal=proposal, author=None, author_name="Trold", body="Uartig tekst")


def test_hiding_needs_a_public_reason_and_is_audited(comment, people):
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, actor=people[MODERATOR], reason="  ")
    comment_hide(comment=comment, actor=people[MODERATOR], reason="Personangreb")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Personangreb"
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, actor=people[MODERATOR], reason="Igen")
    comment_restore(comment=comment, actor=people[MODERATOR])
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    actions = list(
        AuditEntry.objects.filter(object_type="comment", object_id=str(comment.pk)).values_list(
            "action", "actor_label"
        )
    )
    assert ("comment_hide", "moderator") in actions and ("comment_restore", "moderator") in actions


def test_a_moderator_hides_and_restores_a_comment_in_the_console(comment, people, console_client):
    client = console_client(people[MODERATOR])
    assert "Uartig tekst" in _text(client.get("/admin-konsol/moderation/"))
    empty = client.post(f"/admin-konsol/moderation/{comment.pk}/skjul/", {f"c{comment.pk}-reason": ""})
    assert empty.status_code == 400 and f'id="id_c{comment.pk}-reason_error"' in empty.content.decode()
    hidden = client.post(
        f"/admin-konsol/moderation/{comment.pk}/skjul/", {f"c{comment.pk}-reason": "Personangreb"}
    )
    assert hidden.status_code == 302 and Comment.objects.get(pk=comment.pk).is_hidden
    assert "Personangreb" in _text(client.get("/admin-konsol/moderation/?vis=hidden"))
    assert "Uartig tekst" not in _text(client.get("/admin-konsol/moderation/?vis=visible"))
    client.post(f"/admin-konsol/moderation/{comment.pk}/vis/")
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_the_audit_log_filters_by_object_and_date(comment, people, console_client):
    comment_hide(comment=comment, actor=people[MODERATOR], reason="Spam")
    client = console_client(people[TENANT_ADMIN])
    by_object = _text(client.get(f"/admin-konsol/log/?object_type=comment&object_id={comment.pk}"))
    assert "comment_hide" in by_object and "comment_add" in by_object and "round_create" not in by_object
    assert "comment_hide" not in _text(client.get("/admin-konsol/log/?date_to=2000-01-01"))
    assert "comment_hide" not in _text(client.get("/admin-konsol/log/?person=valgstyrer"))
