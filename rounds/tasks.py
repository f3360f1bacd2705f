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


@shared_task
def code_letters_render(
    round_id: int, size: int, area_id: int | None = None, label: str = "", actor_id=None
) -> int:
    """Create a batch of voting codes and store its letters PDF; returns the batch's id.

    The codes are made here, in the worker, so plain codes never pass through the broker.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from rounds.models import Area, Round
    from rounds.services.codes import code_batch_create, code_letters_store

    _require_tenant()
    pb_round = Round.objects.get(pk=round_id)
    area = Area.objects.get(pk=area_id) if area_id is not None else None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    with transaction.atomic():  # no codes without their letters
        batch, codes = code_batch_create(pb_round=pb_round, size=size, area=area, label=label, actor=actor)
        code_letters_store(batch=batch, plain_codes=codes)
    return batch.pk
