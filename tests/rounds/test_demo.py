"""The demo rounds: every memo case, every catalogue model, built through the services."""

from django.test.utils import override_settings

from models_catalogue import registry
from rounds.demo import demo_rounds_seed
from rounds.demo_data import DEMO_ROUNDS
from rounds.models import Proposal, Round
from rounds.rules import current_phase


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_every_demo_round_reaches_its_phase_and_seeding_twice_adds_nothing(aarhus):
    for code in DEMO_ROUNDS:
        demo_rounds_seed(code, log=lambda _line: None)
    rounds = {r.slug: r for r in Round.objects.all()}
    expected = {spec.slug: spec.until for specs in DEMO_ROUNDS.values() for spec in specs}
    assert {slug: current_phase(r).kind for slug, r in rounds.items()} == expected
    assert {r.process_model for r in rounds.values()} == set(registry.CATALOGUE)
    before = Round.objects.count(), Proposal.objects.count()
    for code in DEMO_ROUNDS:
        assert demo_rounds_seed(code, log=lambda _line: None) == []
    assert (Round.objects.count(), Proposal.objects.count()) == before

    kolding = rounds["braendkjaer-bestemmer-2026"]
    assert (kolding.rules.pot, kolding.rules.project_cap) == (75_000, 15_000)
    assert kolding.meetings.get().kind == "voting_day"
    hedensted = rounds["landdistrikter-2014"]
    assert hedensted.applications.count() == 6 and hedensted.areas.count() == 4
    assert sum(a.pot for a in hedensted.areas.all()) == 240_000
    assert hedensted.evaluation.made_with == "Lokalrådene"
    odense = rounds["velfaerdseksperiment-2026"]
    assert odense.rules.min_voting_age == 10
    assert sorted(odense.areas.values_list("name", "pot")) == [("Bolbro", 200_000), ("Dalum", 200_000)]
    assert set(odense.meetings.values_list("kind", flat=True)) == {"info", "expert_day"}
    faaborg = rounds["borgerbudget-2015"]
    assert faaborg.proposals.count() == 42 and faaborg.rules.project_cap is None
    rejected = faaborg.proposals.filter(status="rejected")
    assert rejected.count() == 3
    assert all("erhvervsstøtte" in p.assessment.public_reason for p in rejected)
    assert sum(p.funded_amount for p in faaborg.proposals.filter(status="selected")) <= 500_000
    aarhus_round = rounds["almene-boliger-2026"]
    assert aarhus_round.themes.get().name == "Gentænk fremtidens almene boliger"
    assert set(aarhus_round.areas.values_list("name", flat=True)) == {
        "Grønt borgerbudget i Testrup",
        "Langtidsledige tager teten",
    }
    koeln = rounds["hele-byen-2026"]
    assert koeln.proposals.exclude(status="submitted").count() == 12  # 3 favourites in each of 4 themes


def test_the_demo_has_one_console_login_per_staff_role_and_seeding_again_keeps_them(aarhus):
    from django.contrib.auth import authenticate

    from rounds.console.roles import CASE_WORKER, MODERATOR, VOTING_DAY, user_departments, user_roles
    from rounds.demo import STAFF_PASSWORD, demo_staff_ensure

    demo_staff_ensure()
    staff = {user.username: user for user in demo_staff_ensure()}
    assert {name: set(user_roles(user)) for name, user in staff.items()} == {
        "sagsbehandler": {CASE_WORKER},
        "moderator": {MODERATOR},
        "valgdag": {VOTING_DAY},
    }
    assert user_departments(staff["sagsbehandler"]) == ["Teknik og Miljø"]
    assert all(authenticate(username=name, password=STAFF_PASSWORD) for name in staff)
