"""Excel exports next to the CSV ones, importing a round from a `.pb` file in the console, and the
long operations (that import, the tally) as Celery tasks followed on a progress page.

Celery runs eagerly in the tests (no REDIS_URL): a queued task has finished when the view returns,
so the progress page shows it done; the in-between states are written through the same progress
functions the tasks use."""

import csv
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from rounds.console.exports import AMOUNT_FORMAT, PROPOSAL_COLUMNS, RESULT_COLUMNS
from rounds.console.progress import progress_get, progress_start, progress_step
from rounds.console.roles import TENANT_ADMIN
from rounds.models import Ballot, Round
from rounds.pabulib import PbFormatError, parse_pb
from rounds.services.proposals import proposal_submit
from tests.conftest import host_client
from tests.data.pabulib_files import pabulib_dir
from tests.rounds.console.conftest import make_staff
from tests.rounds.helpers import advance_to, new_round

GDANSK = pabulib_dir() / "Poland_Gdansk_2020_Olszynka.pb"  # cumulative, greedy, 449 ballots
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASK_URL = re.compile(r"^/admin-konsol/opgaver/([0-9a-f-]{36})/$")


def _sheet(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _upload(text: str, name: str = "Gdansk_Olszynka.pb"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _as_text(value) -> str:
    return "" if value is None else str(value)


def test_the_proposal_workbook_has_the_csv_columns_and_amounts_as_numbers(people, console_client):
    pb_round = new_round(
        "porto_alegre",
        {"pot": 300_000, "project_cap": 100_000, "delegates": False, "proposers": "everyone"},
        areas=[("Bolbro", "city_district", 150_000)],
    )
    advance_to(pb_round, "ideas")
    for title, cost in (("Legeplads i Bolbro", 40_000), ("Bænke ved åen", 12_500)):
        proposal_submit(
            pb_round=pb_round, author=None, author_name="Ida Ø", title=title, description="Tekst",
            cost=cost, area=pb_round.areas.get(),
        )  # fmt: skip
    admin = console_client(people[TENANT_ADMIN])
    sheet = _sheet(admin.get(f"/admin-konsol/runder/{pb_round.slug}/eksport/forslag.xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PROPOSAL_COLUMNS
    assert [(r[1], r[4], r[7]) for r in rows[1:]] == [
        ("Legeplads i Bolbro", 40_000, "Bolbro"),
        ("Bænke ved åen", 12_500, "Bolbro"),
    ]
    cost = PROPOSAL_COLUMNS.index("cost") + 1
    assert sheet.cell(row=2, column=cost).data_type == "n"
    assert sheet.cell(row=2, column=cost).number_format == AMOUNT_FORMAT == '#,##0 "kr."'
    assert sheet.cell(row=2, column=PROPOSAL_COLUMNS.index("funded_amount") + 1).value is None
    # Cell for cell what the CSV export says.
    csv_rows = _csv_rows(admin.get(f"/admin-konsol/runder/{pb_round.slug}/eksport/forslag.csv"))
    assert [[_as_text(v) for v in row] for row in rows] == csv_rows
    page = admin.get(f"/admin-konsol/runder/{pb_round.slug}/").content.decode()
    assert f'href="/admin-konsol/runder/{pb_round.slug}/eksport/forslag.xlsx"' in page
    assert f'href="/admin-konsol/runder/{pb_round.slug}/eksport/resultat.xlsx"' in page


def test_a_pb_file_imports_through_the_console_with_its_result_as_a_workbook(people, console_client):
    admin = console_client(people[TENANT_ADMIN])
    assert 'href="/admin-konsol/runder/ny-fra-pb/"' in admin.get("/admin-konsol/katalog/").content.decode()
    response = admin.post(
        "/admin-konsol/runder/ny-fra-pb/",
        {"file": _upload(GDANSK.read_text(encoding="utf-8")), "slug": "", "title": ""},
    )
    assert response.status_code == 302
    task_id = TASK_URL.match(response["Location"]).group(1)
    pb_round = Round.objects.get(slug="gdansk-olszynka")
    assert pb_round.title == "District PB in Gdańsk, Olszynka" and not pb_round.is_published
    assert Ballot.objects.filter(round=pb_round).count() == 449
    assert pb_round.result.spent == 211_000

    page = admin.get(response["Location"]).content.decode()
    # 1 for reading the file, 449 ballots stored, 1 for the result
    assert '<progress id="task-bar" max="451" value="451">100 %</progress>' in page
    assert 'href="/admin-konsol/runder/gdansk-olszynka/"' in page
    assert "js/console-progress.js" in page
    status = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert status == {
        "state": "done", "done": 451, "total": 451, "percent": 100, "title": "Importerer en runde fra en .pb-fil",
        "step": "", "error": "", "url": "/admin-konsol/runder/gdansk-olszynka/",
        "url_label": "Gå til runden", "download": "",
    }  # fmt: skip

    sheet = _sheet(admin.get("/admin-konsol/runder/gdansk-olszynka/eksport/resultat.xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == RESULT_COLUMNS and len(rows) == 1 + len(parse_pb(GDANSK.read_text()).projects)
    first = dict(zip(RESULT_COLUMNS, rows[1], strict=True))
    assert (first["rank"], first["selected"], first["funded_amount"]) == (1, 1, 211_000)
    assert isinstance(first["cost"], int) and isinstance(first["score"], int)
    assert sheet.cell(row=2, column=RESULT_COLUMNS.index("cost") + 1).number_format == AMOUNT_FORMAT
    csv_rows = _csv_rows(admin.get("/admin-konsol/runder/gdansk-olszynka/eksport/resultat.csv"))
    assert [[_as_text(v) for v in row] for row in rows] == csv_rows


BROKEN = "META\nkey;value\nnum_projects;1\nnum_votes;1\nbudget;100\nPROJECTS\nproject_id;cost\n1;50\n"


def test_a_broken_pb_file_is_refused_with_the_parsers_one_line_error(people, console_client):
    with pytest.raises(PbFormatError) as parsed:
        parse_pb(BROKEN)
    message = str(parsed.value)
    assert message == "META: required key 'vote_type' is missing"
    admin = console_client(people[TENANT_ADMIN])
    response = admin.post("/admin-konsol/runder/ny-fra-pb/", {"file": _upload(BROKEN), "slug": "brudt"})
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html
    assert "META: required key &#x27;vote_type&#x27; is missing" in html
    assert not Round.objects.filter(slug="brudt").exists()


def test_a_file_the_import_refuses_shows_the_reason_and_creates_nothing(people, console_client):
    ordinal = (
        "META\nkey;value\nnum_projects;2\nnum_votes;1\nbudget;100\nvote_type;ordinal\n"
        "PROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\n1;2,1\n"
    )
    parse_pb(ordinal)  # the parser takes it; the import cannot make an ordinal ballot
    admin = console_client(people[TENANT_ADMIN])
    response = admin.post("/admin-konsol/runder/ny-fra-pb/", {"file": _upload(ordinal), "slug": "rangering"})
    assert response.status_code == 400
    assert "META: vote_type &#x27;ordinal&#x27; cannot be imported" in response.content.decode()
    assert not Round.objects.filter(slug="rangering").exists()
    # A taken short name is refused by the form, before anything is queued.
    new_round("open_pot", {"pot": 100_000}, slug="optaget")
    taken = admin.post(
        "/admin-konsol/runder/ny-fra-pb/", {"file": _upload(GDANSK.read_text()), "slug": "optaget"}
    )
    assert taken.status_code == 400 and 'id="id_slug_error"' in taken.content.decode()
    assert Round.objects.filter(slug="optaget").count() == 1


def test_the_progress_page_shows_a_task_still_running(people, console_client):
    task_id = str(uuid.uuid4())
    progress_start(task_id, kind="import_pb", total=2)
    admin = console_client(people[TENANT_ADMIN])
    queued = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert (queued["state"], queued["percent"], queued["url"]) == ("queued", 0, "")
    progress_step(task_id, done=1, step="importing")
    page = admin.get(f"/admin-konsol/opgaver/{task_id}/").content.decode()
    assert '<progress id="task-bar" max="2" value="1">50 %</progress>' in page
    assert "Opretter runden, dens forslag, stemmesedler og resultat" in page
    assert admin.get(f"/admin-konsol/opgaver/{uuid.uuid4()}/status.json").status_code == 404
    progress_step(task_id, done=5_001, step="ballots", total=90_496, count=(5_000, 90_494))
    status = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert (status["percent"], status["step"]) == (6, "Gemmer stemmesedlerne: 5.000 af 90.494")


def test_another_municipality_cannot_read_a_tasks_progress(people, kolding):
    task_id = str(uuid.uuid4())
    with schema_context("kolding"):
        kolding_admin = make_staff("kolding-forvalter", [TENANT_ADMIN])
        kolding_client = host_client("kolding.localhost")
        kolding_client.force_login(kolding_admin)
    with schema_context("aarhus"):
        progress_start(task_id, kind="tally", total=1, slug="noget")
        aarhus_client = host_client("aarhus.localhost")
        aarhus_client.force_login(people[TENANT_ADMIN])
    with schema_context("kolding"):
        assert progress_get(task_id) is None  # the cache key carries the schema
    assert aarhus_client.get(f"/admin-konsol/opgaver/{task_id}/status.json").status_code == 200
    assert kolding_client.get(f"/admin-konsol/opgaver/{task_id}/status.json").status_code == 404


def test_computing_the_result_runs_as_a_task_with_progress(people, console_client):
    pb_round = new_round("open_pot", {"pot": 100_000})
    admin = console_client(people[TENANT_ADMIN])
    # Not in the results phase: the rule's reason on the round page, nothing computed.
    refused = admin.post(f"/admin-konsol/runder/{pb_round.slug}/resultat/")
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    assert not hasattr(Round.objects.get(pk=pb_round.pk), "result")
    # An imported round is in its results phase: computing again is a task, followed to the end.
    imported = admin.post(
        "/admin-konsol/runder/ny-fra-pb/", {"file": _upload(GDANSK.read_text()), "slug": "g"}
    )
    assert imported.status_code == 302
    first = Round.objects.get(slug="g").result.computed_at
    response = admin.post("/admin-konsol/runder/g/resultat/")
    task_id = TASK_URL.match(response["Location"]).group(1)
    assert Round.objects.get(slug="g").result.computed_at > first
    status = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert (status["state"], status["percent"], status["title"]) == ("done", 100, "Beregner resultatet")
    assert status["url"] == "/admin-konsol/runder/g/"
