from celery import shared_task
from django.db import connection
from django_tenants.utils import get_tenant_model, tenant_context

from rounds.services.notifications import author_email_send
from rounds.services.rounds import phases_advance_due


def _require_tenant() -> None:
    # A task sent without the tenant header would run in public, where there are no rounds.
    if connection.schema_name == "public":
        raise RuntimeError("this task must run in a municipality's schema")


@shared_task
def proposal_author_notify(proposal_id: int, event: str) -> None:
    _require_tenant()
    author_email_send(proposal_id=proposal_id, event=event)


@shared_task
def phases_advance_due_for_tenant() -> list[str]:
    """Open and close this municipality's phases whose scheduled minute has come."""
    _require_tenant()
    return phases_advance_due()


@shared_task
def phases_advance_due_everywhere() -> int:
    """Beat entry (every minute): queue phases_advance_due_for_tenant in every municipality's schema."""
    municipalities = get_tenant_model().objects.exclude(schema_name="public")
    for municipality in municipalities:
        with tenant_context(municipality):
            phases_advance_due_for_tenant.delay()
    return municipalities.count()


# The letters task's progress: three steps, each counting up to the batch's size.
LETTERS_STEPS = ("codes", "drawing", "writing")  # rounds.services.codes.CODES, rounds.letters' steps


def code_letters_progress_total(size: int) -> int:
    return len(LETTERS_STEPS) * size


def code_letters_every(size: int) -> int:
    """How many letters between two progress updates: about a hundred updates per step."""
    return max(100, size // 100)


@shared_task(bind=True)
def code_letters_render(
    self, round_id: int, size: int, area_id: int | None = None, label: str = "", actor_id=None
) -> int | None:
    """Create a batch of voting codes and store its letters PDF; returns the batch's id.

    The codes are made here, in the worker, so plain codes never pass through the broker. Progress
    goes to the cache under the task's id (rounds.console.progress): creating the codes, drawing
    the letters, writing the PDF. A rule that refuses the batch ends the task as failed with the
    rule's message; nothing is created then, nor when rendering fails (one transaction).
    """
    from rounds.console.progress import progress_done, progress_step
    from rounds.models import Area, Round
    from rounds.rules import RuleViolation
    from rounds.services.codes import code_batch_create_with_letters

    _require_tenant()
    task_id = self.request.id
    pb_round = Round.objects.get(pk=round_id)
    area = Area.objects.get(pk=area_id) if area_id is not None else None
    total = code_letters_progress_total(size)

    def report(step: str, letters: int) -> None:
        done = LETTERS_STEPS.index(step) * size + letters
        progress_step(task_id, done=done, step=step, total=total, count=(letters, size))

    progress_step(task_id, done=0, step=LETTERS_STEPS[0], total=total)
    batch = _refusal_fails(
        task_id,
        RuleViolation,
        lambda: code_batch_create_with_letters(
            pb_round=pb_round,
            size=size,
            area=area,
            label=label,
            actor=_actor(actor_id),
            on_progress=report,
            every=code_letters_every(size),
        ),
    )
    if batch is None:
        return None
    progress_done(task_id, slug=pb_round.slug, batch=batch.pk)
    return batch.pk


def _refusal_fails(task_id: str, refusals, work):
    """Run `work()` for a task that reports progress. A refusal (an exception of the `refusals`
    types: a rule's or a file's clear message) fails the task with that message and gives None;
    anything else fails it as "failed unexpectedly" and is raised for the worker's log and Sentry."""
    from rounds.console.progress import progress_failed

    try:
        return work()
    except refusals as exc:
        progress_failed(task_id, error=str(getattr(exc, "message", exc)))
        return None
    except Exception:
        progress_failed(task_id, error="")  # the console says "failed unexpectedly"
        raise


def _actor(actor_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None


@shared_task(bind=True)
def round_import_pb_task(self, text: str, slug: str, title: str = "", actor_id=None) -> int | None:
    """Import a `.pb` file's text as a new round (rounds.services.pb_import); returns the round's id.

    Progress goes to the cache under the task's id (rounds.console.progress): reading the file,
    creating the round with its proposals, storing the ballots (counted), computing the result. A
    file that cannot be imported ends the task as failed with the one-line reason, not with an
    exception.
    """
    from rounds.console.progress import progress_done, progress_step
    from rounds.pabulib import PbFormatError, parse_pb
    from rounds.services.pb_import import BALLOTS, PbImportError, round_import_pb

    _require_tenant()
    task_id = self.request.id

    def work():
        progress_step(task_id, done=0, step="reading")
        pb_file = parse_pb(text)
        votes = len(pb_file.votes)
        # The bar: 1 for reading, one per ballot stored, 1 for the result.
        progress_step(task_id, done=1, step="importing", total=votes + 2)

        def report(step: str, done: int, total: int) -> None:
            if step == BALLOTS:
                progress_step(task_id, done=1 + done, step="ballots", count=(done, total))
            else:
                progress_step(task_id, done=1 + votes, step="tallying")

        return round_import_pb(
            pb_file=pb_file, slug=slug, title=title or None, actor=_actor(actor_id), on_progress=report
        )

    pb_round = _refusal_fails(task_id, (PbFormatError, PbImportError), work)
    if pb_round is None:
        return None
    progress_done(task_id, slug=pb_round.slug)
    return pb_round.pk


@shared_task(bind=True)
def result_record_task(self, round_id: int, actor_id=None) -> int | None:
    """Tally a round's counted ballots with its rule and publish the result; returns the round's id.

    Progress as round_import_pb_task's; a rule that refuses the tally (e.g. the results phase is
    not open) ends the task as failed with the rule's message.
    """
    from rounds.console.progress import progress_done, progress_step
    from rounds.models import Round
    from rounds.rules import RuleViolation
    from rounds.services.results import result_record

    _require_tenant()
    task_id = self.request.id
    pb_round = Round.objects.get(pk=round_id)
    progress_step(task_id, done=0, step="tallying")

    def tally():
        result_record(pb_round=pb_round, actor=_actor(actor_id))
        return pb_round

    if _refusal_fails(task_id, RuleViolation, tally) is None:
        return None
    progress_done(task_id, slug=pb_round.slug)
    return pb_round.pk
