"""Voting codes by letter: batches of one-time codes, redeeming a code, spending it with its ballot.

A code is single-use: it is spent (`used_at`) in the transaction that casts its ballot, and a
spent code is refused from then on, also where the round lets online voters change their ballot
(a letter may be lost or shared after use; a changed ballot would need the code again).

Guessing is hopeless by construction: 16 characters from a 31-symbol alphabet are 79 bits, so
even 100,000 valid codes leave a chance of about 1 in 10^19 per guess. On top, failures are
counted per client (IP address, IPv6 per /64) and per code prefix in the cache (keys carry the
tenant's schema); past the limit a try is refused before the code is even looked up. Every
failed try is written to the audit log with the client hashed, never with the code.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from config.counters import count_in_window
from models_catalogue.base import Action
from rounds import rules
from rounds.eligibility import VoterIdentity
from rounds.models import Area, Round, VotingCode, VotingCodeBatch
from rounds.models.voting import Channel, Tier
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing to mistake when typing
CODE_GROUPS, GROUP_LENGTH = 4, 4  # K7Q2-9XMD-4HTP-WB3N: 16 characters, 79 bits
MAX_BATCH_SIZE = 200_000
CLIENT_FAILURES, CLIENT_WINDOW = 10, 15 * 60  # a school class behind one address may mistype a few
PREFIX_FAILURES, PREFIX_WINDOW = 5, 60 * 60
CODE_KEY_PREFIX = "code:"
CODE_CHUNK = 5000  # codes per INSERT, and how often code_batch_create reports progress
CODES = "codes"  # the progress step of creating a batch's codes (the letters' steps: rounds/letters.py)


def code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def code_normalise(text: str) -> str | None:
    """The code as printed (groups joined by dashes), from what a person typed; None if it cannot be one."""
    raw = "".join(ch for ch in text.upper() if ch not in " -\t\u2010\u2011\u2012\u2013")
    if len(raw) != CODE_GROUPS * GROUP_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"voting-code:{code}".encode(), hashlib.sha256).hexdigest()


def client_key_from_request(request) -> str:
    """The client's address for rate limiting; behind our proxy (BEHIND_PROXY) the one it appended."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _client_hash(client_key: str) -> str:
    try:
        ip = ipaddress.ip_address(client_key)
    except ValueError:
        pass
    else:
        # One IPv6 host usually holds a whole /64: count it as one client.
        client_key = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"code-client:{client_key}".encode(), hashlib.sha256
    ).hexdigest()


def code_batch_check(*, pb_round: Round, size: int, area: Area | None) -> None:
    """Raise RuleViolation when a batch of `size` codes for the round (and area) cannot be made:
    the round does not take voting codes, the area is another round's, the size is out of range."""
    if not pb_round.rules.code_verification:
        raise RuleViolation("codes_off")
    if area is not None and area.round_id != pb_round.pk:
        raise RuleViolation("foreign_area")
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise RuleViolation("code_batch_size", maximum=MAX_BATCH_SIZE)


@transaction.atomic
def code_batch_create(
    *,
    pb_round: Round,
    size: int,
    area: Area | None = None,
    label: str = "",
    actor=None,
    on_progress: Callable[[str, int], None] | None = None,
) -> tuple[VotingCodeBatch, list[str]]:
    """Create `size` codes for the round (and area) and return the batch with the plain codes.

    The plain codes are returned once, for the letters, and never stored. `on_progress(CODES, n)`
    is called as the codes are stored, every CODE_CHUNK codes and at the end. Raises RuleViolation:
    the round does not take voting codes, the area is another round's, the size is out of range.
    """
    code_batch_check(pb_round=pb_round, size=size, area=area)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    batch = VotingCodeBatch(
        round=pb_round, area=area, size=size, label=label.strip(), created_by=actor if is_user else None
    )
    batch.full_clean()
    batch.save()
    plain: set[str] = set()
    while len(plain) < size:
        plain.add(code_new())
    codes = list(plain)
    for start in range(0, size, CODE_CHUNK):
        chunk = codes[start : start + CODE_CHUNK]
        VotingCode.objects.bulk_create(VotingCode(batch=batch, code_hash=code_hash(c)) for c in chunk)
        if on_progress is not None:
            on_progress(CODES, start + len(chunk))
    audit_record(
        actor=actor,
        action="code_batch_create",
        obj=batch,
        new={"round": pb_round.pk, "area": area.pk if area else None, "size": size, "label": batch.label},
    )
    return batch, codes


def code_batch_revoke(*, batch: VotingCodeBatch, actor=None) -> VotingCodeBatch:
    """Revoke every unused code of the batch (e.g. letters lost in the post). Ballots already cast
    stay counted. Raises RuleViolation when the batch is already revoked."""
    if batch.is_revoked:
        raise RuleViolation("batch_revoked")
    batch.revoked_at = timezone.now()
    batch.save(update_fields=["revoked_at"])
    unused = batch.codes.filter(used_at__isnull=True).count()
    audit_record(actor=actor, action="code_batch_revoke", obj=batch, new={"unused_codes": unused})
    return batch


def code_letters_store(
    *,
    batch: VotingCodeBatch,
    plain_codes: list[str],
    on_progress: Callable[[str, int], None] | None = None,
    every: int = 1000,
) -> VotingCodeBatch:
    """Render the batch's letters and keep the PDF with the batch until staff delete it.

    `on_progress` and `every` go to letters_render (rounds/letters.py).
    """
    from rounds.letters import letters_context, letters_render

    with tempfile.TemporaryFile() as out:
        letters_render(out, plain_codes, on_progress=on_progress, every=every, **letters_context(batch))
        out.seek(0)
        batch.letters.save(f"stemmekoder-{batch.pk}.pdf", File(out), save=False)
    batch.letters_deleted_at = None
    batch.save(update_fields=["letters", "letters_deleted_at"])
    return batch


@transaction.atomic
def code_batch_create_with_letters(
    *,
    pb_round: Round,
    size: int,
    area: Area | None = None,
    label: str = "",
    actor=None,
    on_progress: Callable[[str, int], None] | None = None,
    every: int = 1000,
) -> VotingCodeBatch:
    """Create a batch of codes and store its letters PDF in one transaction: if the letters fail,
    no codes exist that nobody can read. Progress: CODES, then the letters' DRAWING and WRITING,
    each counting up to `size`. Raises RuleViolation as code_batch_create does.
    """
    batch, codes = code_batch_create(
        pb_round=pb_round, size=size, area=area, label=label, actor=actor, on_progress=on_progress
    )
    return code_letters_store(batch=batch, plain_codes=codes, on_progress=on_progress, every=every)


def code_letters_delete(*, batch: VotingCodeBatch, actor=None) -> VotingCodeBatch:
    """Delete the letters PDF once it is mailed: after this no copy of the plain codes is left."""
    if batch.letters:
        batch.letters.delete(save=False)
    batch.letters = ""
    batch.letters_deleted_at = timezone.now()
    batch.save(update_fields=["letters", "letters_deleted_at"])
    audit_record(actor=actor, action="code_letters_delete", obj=batch)
    return batch


def _failures(key: str) -> int:
    return cache.get(key, 0)


def _refuse(pb_round: Round, reason: str, client: str, *, code_id: int | None = None, count: bool = True):
    """Log the failed try (client hashed, never the code) and raise."""
    audit_record(
        actor=None,
        action="code_failed",
        obj=pb_round,
        new={"reason": reason, "client": client[:32], "code": code_id},
    )
    raise RuleViolation(reason)


def code_redeem(*, pb_round: Round, code: str, client_key: str) -> VoterIdentity:
    """Check a code a voter typed and return the identity it proves (tier code, channel online).

    The code is not spent here but with its ballot (code_mark_used). Raises RuleViolation:
    voting closed or codes not accepted, too many failed tries from this client or for this
    code, unknown, revoked or used code.
    """
    if reason := rules.action_problem(pb_round, Action.VOTE):
        raise RuleViolation(reason)
    if not (pb_round.rules.code_verification and pb_round.rules.online_voting):
        raise RuleViolation("verification_not_allowed")
    client = _client_hash(client_key)
    client_counter = f"voting-code:client:{client}"
    if _failures(client_counter) >= CLIENT_FAILURES:
        _throttled(pb_round, client, client_counter)
    canonical = code_normalise(code)
    prefix_counter = f"voting-code:prefix:{pb_round.pk}:{code_hash((canonical or '')[:GROUP_LENGTH])[:32]}"
    if canonical is not None and _failures(prefix_counter) >= PREFIX_FAILURES:
        _throttled(pb_round, client, prefix_counter)
    found = (
        VotingCode.objects.select_related("batch")
        .filter(code_hash=code_hash(canonical), batch__round=pb_round)
        .first()
        if canonical is not None
        else None
    )
    reason = None
    if found is None:
        reason = "code_unknown"
    elif found.batch.is_revoked:
        reason = "code_revoked"
    elif found.is_used:
        reason = "code_used"
    if reason is not None:
        count_in_window(client_counter, CLIENT_WINDOW)
        if canonical is not None:
            count_in_window(prefix_counter, PREFIX_WINDOW)
        _refuse(pb_round, reason, client, code_id=found.pk if found else None)
    return VoterIdentity(
        tier=Tier.CODE,
        channel=Channel.ONLINE,
        keys=(f"{CODE_KEY_PREFIX}{found.pk}",),
        area_id=found.batch.area_id,
    )


def _throttled(pb_round: Round, client: str, counter: str):
    # Log the first refusal of a window only: a flood of tries must not flood the audit log.
    if cache.add(f"{counter}:logged", 1, timeout=CLIENT_WINDOW):
        _refuse(pb_round, "too_many_attempts", client)
    raise RuleViolation("too_many_attempts")


def code_mark_used(*, pb_round: Round, identity: VoterIdentity) -> None:
    """Spend the voting code behind a ballot; ballot_cast calls this inside its transaction, so the
    code is spent exactly when the ballot is stored. Does nothing for other verification methods.

    Raises RuleViolation: the code is unknown in this round, its batch is revoked, or it is used.
    """
    if identity.tier != Tier.CODE:
        return
    code_id = next(
        (k.removeprefix(CODE_KEY_PREFIX) for k in identity.keys if k.startswith(CODE_KEY_PREFIX)), ""
    )
    found = (
        VotingCode.objects.select_for_update(of=("self",))  # concurrent ballots of one code queue here
        .select_related("batch")
        .filter(pk=int(code_id) if code_id.isdigit() else None, batch__round=pb_round)
        .first()
    )
    if found is None:
        raise RuleViolation("code_unknown")
    if found.batch.is_revoked:
        raise RuleViolation("code_revoked")
    if found.is_used:
        raise RuleViolation("code_used")
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
