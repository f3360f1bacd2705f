"""Tell a proposal's author by email when the decision chain moves (assessment, statement,
decision, implementation). Sent by a Celery task after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation

from rounds.models import Proposal

EVENTS = ("assessment", "statement", "decision", "implementation")


def author_notify(*, proposal: Proposal, event: str) -> None:
    if event not in EVENTS:
        raise ValueError(event)
    if not proposal.author_email:
        return
    from rounds.tasks import proposal_author_notify

    proposal_id = proposal.pk
    transaction.on_commit(lambda: proposal_author_notify.delay(proposal_id, event))


def author_email_send(*, proposal_id: int, event: str) -> None:
    """Render emails/<event>-subject.txt, -body.txt and -body.html and send them to the author."""
    proposal = (
        Proposal.objects.select_related("round", "assessment", "decision").prefetch_related(
            "statements", "updates"
        )
    ).get(pk=proposal_id)
    tenant = getattr(connection, "tenant", None)
    language = getattr(tenant, "default_language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"proposal": proposal, "municipality": tenant, "url": _proposal_url(tenant, proposal)}
        subject = render_to_string(f"emails/{event}-subject.txt", context).strip()
        text = render_to_string(f"emails/{event}-body.txt", context)
        html = render_to_string(f"emails/{event}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [proposal.author_email])
    message.attach_alternative(html, "text/html")
    message.send()


def _proposal_url(tenant, proposal: Proposal) -> str:
    return (
        f"{tenant.primary_url()}forslag/{proposal.pk}/" if tenant and hasattr(tenant, "primary_url") else ""
    )
