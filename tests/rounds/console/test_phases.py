"""Staff work before the vote: local-council applications and the pot split, equal split,
delegates and meetings."""

import re

from rounds.console.roles import TENANT_ADMIN
from rounds.models import Area, AreaApplication, Delegate, Meeting
from rounds.rules import REASONS
from tests.rounds.helpers import advance_to, new_round


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_local_councils_apply_are_selected_and_the_pool_is_split(people, console_client):
    pb_round = new_round("local_council_pool", {"pot": 240_000}, slug="landdistrikter")
    admin = console_client(people[TENANT_ADMIN])
    advance_to(pb_round, "applications")
    for council, amount in (("Lokalrådet Hornsyld", "100000"), ("Lokalrådet Løsning", "200000")):
        response = admin.post(
            "/admin-konsol/runder/landdistrikter/ansoegninger/",
            {
                "applicant": council,
                "process_plan": "Borgermøde og lokal afstemning",
                "requested_amount": amount,
            },
        )
        assert response.status_code == 302
    advance_to(pb_round, "allocation")
    hornsyld, loesning = AreaApplication.objects.filter(round=pb_round).order_by("id")
    selected = admin.post(
        f"/admin-konsol/runder/landdistrikter/ansoegninger/{hornsyld.pk}/",
        {f"app{hornsyld.pk}-select": "1", f"app{hornsyld.pk}-pot": "100000"},
    )
    assert selected.status_code == 302
    too_much = admin.post(
        f"/admin-konsol/runder/landdistrikter/ansoegninger/{loesning.pk}/",
        {f"app{loesning.pk}-select": "1", f"app{loesning.pk}-pot": "200000"},
    )
    assert too_much.status_code == 400 and "240.000" in _text(too_much)
    assert AreaApplication.objects.get(pk=loesning.pk).status == "submitted"
    admin.post(
        f"/admin-konsol/runder/landdistrikter/ansoegninger/{loesning.pk}/",
        {f"app{loesning.pk}-select": "1", f"app{loesning.pk}-pot": "140000"},
    )
    assert dict(Area.objects.filter(round=pb_round).values_list("name", "pot")) == {
        "Lokalrådet Hornsyld": 100_000, "Lokalrådet Løsning": 140_000,
    }  # fmt: skip
    page = _text(admin.get("/admin-konsol/runder/landdistrikter/omraader/"))
    assert "240.000 kr." in page and "Lokalrådet Løsning" in page
    assert admin.post("/admin-konsol/runder/landdistrikter/fase/", {"to": "ideas"}).status_code == 302


def test_a_sub_pot_over_the_pool_is_refused_and_the_pool_splits_equally(people, console_client):
    pb_round = new_round(
        "porto_alegre", {"pot": 400_000, "delegates": False, "proposers": "everyone"}, slug="bydele",
        areas=[("Bolbro", "city_district", None), ("Dalum", "city_district", None), ("Vollsmose", "city_district", None)],
    )  # fmt: skip
    admin = console_client(people[TENANT_ADMIN])
    bolbro = pb_round.areas.get(name="Bolbro")
    over = admin.post(
        f"/admin-konsol/runder/bydele/omraader/{bolbro.pk}/pulje/", {f"area{bolbro.pk}-pot": "500000"}
    )
    assert over.status_code == 400 and f'id="id_area{bolbro.pk}-pot_error"' in over.content.decode()
    assert Area.objects.get(pk=bolbro.pk).pot is None
    assert admin.post("/admin-konsol/runder/bydele/omraader/fordel/").status_code == 302
    assert sorted(pb_round.areas.values_list("pot", flat=True)) == [133_333] * 3


def test_delegates_and_meetings_are_recorded(people, console_client):
    pb_round = new_round("porto_alegre", {"pot": 400_000, "area_funding": "none"}, slug="porto")
    admin = console_client(people[TENANT_ADMIN])
    advance_to(pb_round, "workshops")
    early = admin.post(
        "/admin-konsol/runder/porto/delegerede-og-moeder/", {"form": "delegate", "delegate-name": "Ana"}
    )
    assert early.status_code == 400 and str(REASONS["phase_closed"]) in _text(early)
    meeting = admin.post(
        "/admin-konsol/runder/porto/delegerede-og-moeder/",
        {"form": "meeting", "meeting-kind": "workshop", "meeting-title": "Workshop i Bolbro",
         "meeting-location": "Bolbro Skole", "meeting-starts_at": "2026-09-20T19:00", "meeting-capacity": "30"},
    )  # fmt: skip
    assert meeting.status_code == 302 and Meeting.objects.get(round=pb_round).capacity == 30
    advance_to(pb_round, "delegates")
    chosen = admin.post(
        "/admin-konsol/runder/porto/delegerede-og-moeder/",
        {"form": "delegate", "delegate-name": "Ana Souza", "delegate-email": "ana@example.invalid"},
    )
    assert chosen.status_code == 302 and Delegate.objects.get(round=pb_round).name == "Ana Souza"
    page = _text(admin.get("/admin-konsol/runder/porto/delegerede-og-moeder/"))
    assert "Ana Souza" in page and "Workshop i Bolbro" in page and "0 af 30" in page
