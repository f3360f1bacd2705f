"""Letters with voting codes, the citizen's way from a letter to a receipt, and the staff pages."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from pypdf import PdfReader

from rounds.letters import letters_context, letters_render
from rounds.models import AuditEntry, Ballot, VotingCode, VotingCodeBatch
from rounds.services.ballots import ballot_proposals
from rounds.services.codes import CLIENT_FAILURES, code_batch_create, code_hash, code_letters_store, code_new
from rounds.tasks import code_letters_render
from tests.conftest import ADMIN
from tests.rounds.test_codes import voting_round  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The tenant storage caches its root; forget it so the letters land in this test's folder.
    default_storage.__dict__.pop("relative_media_root", None)
    cache.clear()
    yield
    default_storage.__dict__.pop("relative_media_root", None)
    cache.clear()


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_letters_have_one_page_per_code_with_the_code_and_what_to_do_in_danish(voting_round):  # noqa: F811
    gellerup = voting_round.areas.get(name="Gellerup")
    batch, codes = code_batch_create(pb_round=voting_round, size=4, area=gellerup)
    out = io.BytesIO()
    assert letters_render(out, codes, **letters_context(batch)) == 4
    pages = _pages(out.getvalue())
    assert len(pages) == 4
    for code, page in zip(codes, pages, strict=True):
        assert code in page
        assert not any(other in page for other in codes if other != code)
        assert "Aarhus Kommune" in page and voting_round.title in page and "Gellerup" in page
        assert f"http://aarhus.localhost:8000/stem/{voting_round.slug}/kode/" in page
        assert "Din stemmekode" in page


def test_small_batches_keep_their_letters_until_staff_delete_them(voting_round, aarhus_client, celery_eager):  # noqa: F811
    aarhus_client.login(username=ADMIN.username, password=ADMIN.password)
    page = aarhus_client.get(f"/runder/{voting_round.slug}/stemmekoder/")
    assert page.status_code == 200
    created = aarhus_client.post(f"/runder/{voting_round.slug}/stemmekoder/", {"size": "3", "label": "4.b"})
    assert created.status_code == 302
    batch = VotingCodeBatch.objects.get(round=voting_round)
    assert (batch.size, batch.label, batch.created_by.username) == (3, "4.b", ADMIN.username)
    assert "/aarhus/" in batch.letters.path  # the municipality's own folder

    download = aarhus_client.get(f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/breve.pdf")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    pdf = b"".join(download.streaming_content)
    codes = [re.search(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", page).group(0) for page in _pages(pdf)]
    assert {VotingCode.objects.filter(batch=batch).get(code_hash=h).pk for h in map(code_hash, codes)} == set(
        batch.codes.values_list("pk", flat=True)
    )

    path = batch.letters.path
    aarhus_client.post(f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/slet-breve/")
    batch.refresh_from_db()
    assert not batch.letters and batch.letters_deleted_at is not None
    assert not default_storage.exists(path)
    gone = aarhus_client.get(f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/breve.pdf")
    assert gone.status_code == 404
    assert AuditEntry.objects.filter(action="code_letters_delete", object_id=str(batch.pk)).exists()


def test_citizens_cannot_reach_the_staff_pages(voting_round, aarhus_client):  # noqa: F811
    batch, codes = code_batch_create(pb_round=voting_round, size=1)
    code_letters_store(batch=batch, plain_codes=codes)
    assert aarhus_client.get(f"/runder/{voting_round.slug}/stemmekoder/").status_code == 302
    download = aarhus_client.get(f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/breve.pdf")
    assert download.status_code == 302 and "login" in download["Location"]
    assert aarhus_client.post(f"/runder/{voting_round.slug}/stemmekoder/", {"size": "5"}).status_code == 302
    assert VotingCodeBatch.objects.count() == 1


def test_the_consoles_tenant_admins_reach_the_codes_and_other_console_roles_do_not(voting_round):  # noqa: F811
    from rounds.console.roles import CASE_WORKER, MODERATOR, TENANT_ADMIN, VOTING_DAY
    from tests.conftest import host_client
    from tests.rounds.console.conftest import make_staff

    batch, codes = code_batch_create(pb_round=voting_round, size=1)
    code_letters_store(batch=batch, plain_codes=codes)
    pages = (
        f"/runder/{voting_round.slug}/stemmekoder/",
        f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/breve.pdf",
    )
    for role, expected in ((TENANT_ADMIN, 200), (VOTING_DAY, 403), (CASE_WORKER, 403), (MODERATOR, 403)):
        client = host_client("aarhus.localhost")
        client.force_login(make_staff(f"staff-{role}", [role]))
        assert [client.get(page).status_code for page in pages] == [expected, expected], role
        if role == TENANT_ADMIN:  # the console's round page leads there
            assert pages[0] in client.get(f"/admin-konsol/runder/{voting_round.slug}/").content.decode()


def test_large_batches_are_made_in_a_task_that_stores_the_letters(voting_round, celery_eager):  # noqa: F811
    hasle = voting_round.areas.get(name="Hasle")
    batch_id = code_letters_render.delay(voting_round.pk, 5, hasle.pk, "Skoler").get()
    batch = VotingCodeBatch.objects.get(pk=batch_id)
    assert (batch.size, batch.area, batch.label, batch.codes.count()) == (5, hasle, "Skoler", 5)
    with batch.letters.open("rb") as handle:
        assert len(_pages(handle.read())) == 5


def test_a_citizen_votes_with_the_code_from_the_letter_once(voting_round, aarhus_client):  # noqa: F811
    gellerup = voting_round.areas.get(name="Gellerup")
    _, (code,) = code_batch_create(pb_round=voting_round, size=1, area=gellerup)
    start = _text(aarhus_client.get(f"/stem/{voting_round.slug}/"))
    assert f'href="/stem/{voting_round.slug}/kode/"' in start

    url = f"/stem/{voting_round.slug}/kode/"
    form = _text(aarhus_client.get(url))
    assert '<label for="code">Stemmekode</label>' in form and 'aria-describedby="code-hint"' in form

    wrong = aarhus_client.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400
    html = _text(wrong)
    assert 'role="alert" id="code-error"' in html and 'aria-describedby="code-hint code-error"' in html
    assert "Vi kender ikke denne stemmekode" in html and 'value="AAAA-BBBB-CCCC-DDDD"' in html

    entered = aarhus_client.post(url, {"code": code.lower()})
    assert entered.status_code == 302 and entered["Location"] == f"/stem/{voting_round.slug}/stemmeseddel/"
    ballot_page = _text(aarhus_client.get(entered["Location"]))
    assert "Gellerup" in ballot_page
    choice = next(iter(ballot_proposals(voting_round, gellerup)))
    receipt = aarhus_client.post(entered["Location"], {"choice": [str(choice)]})
    assert receipt.status_code == 200
    ballot = Ballot.objects.get(round=voting_round)
    assert ballot.receipt in _text(receipt) and (ballot.tier, ballot.area) == ("code", gellerup)

    again = aarhus_client.post(url, {"code": code})
    assert again.status_code == 400 and "allerede brugt" in _text(again)


def test_the_code_page_says_so_when_voting_is_not_open(aarhus, aarhus_client):
    from tests.rounds.helpers import new_round

    pb_round = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "code_verification": True}
    )
    pb_round.is_published = True
    pb_round.save()
    html = _text(aarhus_client.get(f"/stem/{pb_round.slug}/kode/"))
    assert 'role="status"' in html and '<form method="post" novalidate>' not in html
    assert (
        aarhus_client.post(f"/stem/{pb_round.slug}/kode/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200
    )
    assert not AuditEntry.objects.filter(action="code_failed").exists()


def test_too_many_wrong_codes_from_one_browser_are_refused_with_429(voting_round, aarhus_client):  # noqa: F811
    url = f"/stem/{voting_round.slug}/kode/"
    statuses = [aarhus_client.post(url, {"code": code_new()}).status_code for _ in range(CLIENT_FAILURES + 1)]
    assert statuses == [400] * CLIENT_FAILURES + [429]
    assert "Der er prøvet for mange forkerte koder" in _text(aarhus_client.post(url, {"code": code_new()}))
