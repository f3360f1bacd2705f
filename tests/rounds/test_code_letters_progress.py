"""The letters of a batch of voting codes as a Celery task with progress: the renderer's callback,
the progress page and its JSON, failures, the command's progress lines, and a real worker."""

import io
import re
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.functional import empty
from django_tenants.utils import schema_context, tenant_context
from pypdf import PdfReader

from config.celery_app import app
from rounds.console import progress
from rounds.console.views_tasks import LETTERS, task_queue
from rounds.letters import DRAWING, WRITING, letters_context, letters_render
from rounds.models import AuditEntry, Round, VotingCode, VotingCodeBatch
from rounds.services.codes import code_batch_create
from rounds.tasks import code_letters_progress_total, code_letters_render
from tenants.models import Municipality
from tests.conftest import ADMIN, host_client
from tests.rounds.helpers import new_round
from tests.rounds.test_codes import voting_round  # noqa: F401 (a fixture)

TASK_URL = re.compile(r"^/admin-konsol/opgaver/([0-9a-f-]{36})/$")
NO_CODES = "Denne runde bruger ikke stemmekoder med brev."


def _da(text: str) -> str:
    """The console's Danish for a new string (English until `make messages` compiles it)."""
    with translation.override("da"):
        return translation.gettext(text)


def _media_root(settings, path) -> None:
    settings.MEDIA_ROOT = str(path)
    # The tenant storage caches its root (and ignores setting_changed for MEDIA_ROOT): forget it.
    if default_storage._wrapped is empty:
        default_storage._setup()
    default_storage._wrapped.__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    _media_root(settings, tmp_path / "media")
    yield
    default_storage._wrapped.__dict__.pop("relative_media_root", None)


def _admin():
    client = host_client("aarhus.localhost")
    client.login(username=ADMIN.username, password=ADMIN.password)
    return client


def test_the_renderer_reports_drawing_then_writing_while_save_is_still_writing(voting_round):  # noqa: F811
    batch, codes = code_batch_create(pb_round=voting_round, size=5)
    out = io.BytesIO()
    calls = []

    def report(step, letters):
        calls.append((step, letters, len(out.getvalue())))

    assert letters_render(out, codes, on_progress=report, every=2, **letters_context(batch)) == 5
    assert [(step, n) for step, n, _ in calls] == [
        (DRAWING, 2), (DRAWING, 4), (DRAWING, 5), (WRITING, 2), (WRITING, 4), (WRITING, 5),
    ]  # fmt: skip
    # reportlab writes the file only at the end of save(): the writing reports come before that.
    assert [size for step, n, size in calls if step == WRITING and n < 5] == [0, 0]
    assert calls[-1][2] == len(out.getvalue()) > 0
    assert len(PdfReader(io.BytesIO(out.getvalue())).pages) == 5


def test_the_console_makes_a_batch_in_a_task_and_its_progress_page_ends_with_the_download(
    voting_round,  # noqa: F811
    celery_eager,
    monkeypatch,
):
    steps = []
    real_step = progress.progress_step

    def recording_step(task_id, *, done, step, total=None, count=None):
        steps.append((step, done, total))
        real_step(task_id, done=done, step=step, total=total, count=count)

    monkeypatch.setattr(progress, "progress_step", recording_step)
    admin = _admin()
    hasle = voting_round.areas.get(name="Hasle")
    response = admin.post(
        f"/runder/{voting_round.slug}/stemmekoder/", {"size": "250", "area": str(hasle.pk), "label": "Skoler"}
    )
    task_id = TASK_URL.match(response["Location"]).group(1)
    batch = VotingCodeBatch.objects.get(round=voting_round)
    assert (batch.size, batch.area, batch.label, batch.codes.count()) == (250, hasle, "Skoler", 250)

    # Every 100 letters (the least step) per step: codes, drawing, writing; done only grows.
    total = code_letters_progress_total(250)
    assert total == 750
    assert [(step, done) for step, done, _ in steps] == [
        ("codes", 0), ("codes", 250),
        ("drawing", 350), ("drawing", 450), ("drawing", 500),
        ("writing", 600), ("writing", 700), ("writing", 750),
    ]  # fmt: skip
    assert {t for *_, t in steps} == {total}

    download = f"/runder/{voting_round.slug}/stemmekoder/{batch.pk}/breve.pdf"
    status = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert status == {
        "state": "done", "done": 750, "total": 750, "percent": 100,
        "title": _da("Making voting codes and their letters"), "step": "", "error": "",
        "url": f"/runder/{voting_round.slug}/stemmekoder/#batch-{batch.pk}",
        "url_label": _da("Go to the voting codes"), "download": download,
    }  # fmt: skip
    page = admin.get(response["Location"]).content.decode()
    assert '<progress id="task-bar" max="750" value="750">100 %</progress>' in page
    assert f'<a href="{download}">{_da("Download the letters (PDF)")}</a>' in page
    pdf = b"".join(admin.get(download).streaming_content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 250
    codes_page = admin.get(f"/runder/{voting_round.slug}/stemmekoder/").content.decode()
    assert f'<tr id="batch-{batch.pk}">' in codes_page


def test_a_running_letters_task_says_how_far_its_step_is(voting_round):  # noqa: F811
    task_id = str(uuid.uuid4())
    progress.progress_start(task_id, kind=LETTERS, total=code_letters_progress_total(50_000))
    progress.progress_step(task_id, done=50_000 + 10_000, step="drawing", count=(10_000, 50_000))
    status = _admin().get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert (status["state"], status["percent"], status["url"], status["download"]) == ("running", 40, "", "")
    assert status["step"] == _da("%(step)s: %(done)s of %(total)s") % {
        "step": _da("Drawing the letters"),
        "done": "10.000",
        "total": "50.000",
    }


def test_a_batch_the_rules_refuse_is_refused_on_the_codes_page_and_in_the_task(aarhus, celery_eager):
    pb_round = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "code_verification": False}
    )
    admin = _admin()
    response = admin.post(f"/runder/{pb_round.slug}/stemmekoder/", {"size": "10"})
    assert response["Location"] == f"/runder/{pb_round.slug}/stemmekoder/"
    assert NO_CODES in admin.get(response["Location"]).content.decode()

    # With a worker the rules are checked again there; the progress page shows the reason.
    task_id = task_queue(code_letters_render, kind=LETTERS, total=30, args=(pb_round.pk, 10))
    status = admin.get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert (status["state"], status["error"]) == ("failed", NO_CODES)
    assert (status["url"], status["download"]) == ("", "")
    assert not VotingCodeBatch.objects.exists()


@pytest.mark.parametrize("size", ["0", "200001", "many"])
def test_a_size_out_of_range_is_refused_before_any_task(voting_round, size):  # noqa: F811
    admin = _admin()
    response = admin.post(f"/runder/{voting_round.slug}/stemmekoder/", {"size": size})
    assert response["Location"] == f"/runder/{voting_round.slug}/stemmekoder/"
    assert "En portion rummer fra 1 til 200000 koder." in admin.get(response["Location"]).content.decode()
    assert not VotingCodeBatch.objects.exists()


def test_letters_that_cannot_be_stored_leave_no_codes_and_a_failed_task(voting_round, settings, tmp_path):  # noqa: F811
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    _media_root(settings, blocker)  # storing the PDF fails after the codes are made
    task_id = str(uuid.uuid4())
    progress.progress_start(task_id, kind=LETTERS, total=30, slug=voting_round.slug)
    with pytest.raises(OSError):
        code_letters_render.apply(args=(voting_round.pk, 10), task_id=task_id)
    assert not VotingCodeBatch.objects.exists() and not VotingCode.objects.exists()
    status = _admin().get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert status["state"] == "failed" and status["download"] == ""
    assert status["error"].startswith("Opgaven mislykkedes uventet")


def test_staff_who_make_codes_follow_the_letters_task_but_no_other(voting_round):  # noqa: F811
    clerk = get_user_model().objects.create_user("kodeansvarlig", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="add_votingcodebatch"))
    letters, tally = str(uuid.uuid4()), str(uuid.uuid4())
    progress.progress_start(letters, kind=LETTERS, total=3)
    progress.progress_start(tally, kind="tally", total=1)
    client = host_client("aarhus.localhost")
    client.force_login(clerk)
    assert client.get(f"/admin-konsol/opgaver/{letters}/").status_code == 200
    assert client.get(f"/admin-konsol/opgaver/{letters}/status.json").status_code == 200
    assert client.get(f"/admin-konsol/opgaver/{tally}/status.json").status_code == 403
    citizen = host_client("aarhus.localhost")
    citizen.force_login(get_user_model().objects.create_user("borger", password="x"))
    assert citizen.get(f"/admin-konsol/opgaver/{letters}/status.json").status_code == 403


def test_the_command_prints_progress_on_stderr_and_only_the_summary_on_stdout(voting_round, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "breve.pdf"
    with schema_context("public"):
        call_command("code_batch", "--schema", "aarhus", "--round", voting_round.slug, "--size", "2500",
                     "--out", str(out))  # fmt: skip
    printed = capsys.readouterr()
    assert printed.err.splitlines() == [
        "Codes: 2,500 / 2,500",
        "Letters drawn: 1,000 / 2,500", "Letters drawn: 2,000 / 2,500", "Letters drawn: 2,500 / 2,500",
        "Letters written to the PDF: 1,000 / 2,500", "Letters written to the PDF: 2,000 / 2,500",
        "Letters written to the PDF: 2,500 / 2,500",
    ]  # fmt: skip
    batch = VotingCodeBatch.objects.get(round=voting_round)
    assert printed.out.count("\n") == 1 and printed.out.startswith(f"Batch {batch.pk}: 2500 codes")
    assert len(PdfReader(out).pages) == 2500


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--schema", "nowhere"], "no municipality has the schema 'nowhere'"),
        ([], "Which municipality? Give --schema"),
    ],
)
def test_the_command_refuses_a_missing_or_unknown_municipality(voting_round, tmp_path, arguments, message):  # noqa: F811
    with schema_context("public"), pytest.raises(CommandError) as excinfo:
        call_command("code_batch", *arguments, "--round", voting_round.slug, "--size", "3",
                     "--out", str(tmp_path / "breve.pdf"))  # fmt: skip
    assert excinfo.value.returncode == 2 and message in str(excinfo.value)
    assert not (tmp_path / "breve.pdf").exists()


@pytest.fixture
def committed_code_round(committed_db):
    """A round taking voting codes, committed in Aarhus' schema: a worker thread cannot see a test
    transaction. Removed afterwards with its batches and audit entries."""
    aarhus = Municipality.objects.get(schema_name="aarhus")
    with tenant_context(aarhus):
        first_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pb_round = new_round(
            "porto_alegre",
            {"delegates": False, "proposers": "everyone", "code_verification": True},
            slug=f"koder-{uuid.uuid4().hex[:8]}",
        )
    yield aarhus, pb_round
    with tenant_context(aarhus):
        VotingCode.objects.filter(batch__round=pb_round).delete()
        VotingCodeBatch.objects.filter(round=pb_round).delete()
        Round.objects.filter(pk=pb_round.pk).delete()
        AuditEntry.objects.filter(id__gt=first_audit).delete()


@pytest.mark.redis
def test_a_worker_fed_through_redis_makes_the_letters_and_the_progress_moves(
    committed_code_round, redis_required
):
    aarhus, pb_round = committed_code_round
    size = 5000
    seen = []
    worker = start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
    with worker, tenant_context(aarhus):
        task_id = task_queue(
            code_letters_render,
            kind=LETTERS,
            slug=pb_round.slug,
            total=code_letters_progress_total(size),
            args=(pb_round.pk, size),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = progress.progress_get(task_id)
            seen.append((state["state"], state["step"], state["done"]))
            if state["state"] in (progress.DONE, progress.FAILED):
                break
            time.sleep(0.02)
    assert seen[-1] == ("done", "", 3 * size), seen[-1]
    running = [(step, done) for state, step, done in seen if state == "running"]
    assert {step for step, _ in running} >= {"drawing", "writing"}
    assert any(0 < done < 3 * size for _, done in running)
    assert [done for _, done in running] == sorted(done for _, done in running)
    with tenant_context(aarhus):
        batch = VotingCodeBatch.objects.get(round=pb_round)
        assert batch.codes.count() == size and batch.letters
        status = _admin().get(f"/admin-konsol/opgaver/{task_id}/status.json").json()
    assert status["download"] == f"/runder/{pb_round.slug}/stemmekoder/{batch.pk}/breve.pdf"
