"""Proving who you are online: MitID through the municipality's OpenID Connect provider, or a
one-time code by email (self-declared address and age; only where the round allows it).

Both end like every verification method: the VoterIdentity goes into the session
(rounds/voting_session.py) and the voter is sent to the ballot. Every failure is a page that
says what happened, in the visitor's language, with a 4xx or 502 status.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from models_catalogue.base import Action
from rounds import email_codes, oidc, rules, selectors
from rounds.eligibility import VoterIdentity, eligibility_problem
from rounds.models import Round
from rounds.models.voting import Channel, Tier
from rounds.rules import REASONS
from rounds.voting_session import identity_store

logger = logging.getLogger(__name__)

PENDING_KEY = "oidc_pending"  # {state: {...}}: several tabs may log in at once
PENDING_MAX = 5
EMAIL_PENDING_KEY = "email_vote_pending"


def _round(slug: str) -> Round:
    try:
        return selectors.round_get_published(slug)
    except Round.DoesNotExist:
        raise Http404 from None


def _refuse(request, pb_round: Round | None, code: str, status: int) -> HttpResponse:
    context = {"pb_round": pb_round, "message": REASONS[code], "code": code}
    return render(request, "rounds/vote_oidc_error.html", context, status=status)


def _closed_problem(pb_round: Round, rule: str) -> tuple[str, int] | None:
    """Why this way of voting is not open in this round, with the HTTP status to answer."""
    effective = pb_round.rules
    if not (effective.online_voting and getattr(effective, rule)):
        return "verification_not_allowed", 404
    if reason := rules.action_problem(pb_round, Action.VOTE):
        return reason, 403  # before a MitID login that costs the municipality money
    return None


# --- MitID (OpenID Connect) ---


@require_GET
def vote_oidc_start(request, slug: str):
    pb_round = _round(slug)
    if problem := _closed_problem(pb_round, "eid_verification"):
        return _refuse(request, pb_round, *problem)
    provider = oidc.provider_for(request.tenant)
    if provider is None:
        return _refuse(request, pb_round, "eid_not_configured", 404)
    redirect_uri = request.build_absolute_uri(reverse("rounds:vote_oidc_callback"))
    try:
        auth = oidc.authorization_request(provider, redirect_uri=redirect_uri, round_slug=pb_round.slug)
    except oidc.OidcError as exc:
        logger.warning("MitID login could not start: %s", exc)
        return _refuse(request, pb_round, exc.code, exc.status)
    pending = {
        state: entry
        for state, entry in request.session.get(PENDING_KEY, {}).items()
        if entry["started"] > time.time() - oidc.PENDING_TTL
    }
    while len(pending) >= PENDING_MAX:
        pending.pop(min(pending, key=lambda s: pending[s]["started"]))
    pending[auth.state] = auth.pending
    request.session[PENDING_KEY] = pending
    return redirect(auth.url)


@require_GET
def vote_oidc_callback(request):
    state = request.GET.get("state", "")
    pending = request.session.get(PENDING_KEY, {})
    entry = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending  # a state is good for one answer only
    if entry is None or entry["started"] < time.time() - oidc.PENDING_TTL:
        return _refuse(request, None, "login_expired", 400)
    pb_round = _round(entry["round_slug"])
    if request.GET.get("error") or not request.GET.get("code"):
        logger.info("MitID login ended without a code: %s", request.GET.get("error", "no code")[:50])
        return _refuse(request, pb_round, "login_cancelled", 400)
    if problem := _closed_problem(pb_round, "eid_verification"):
        return _refuse(request, pb_round, *problem)
    provider = oidc.provider_for(request.tenant)
    if provider is None or provider.pk != entry["provider_id"]:
        return _refuse(request, pb_round, "login_expired", 400)
    try:
        tokens = oidc.code_exchange(
            provider, code=request.GET["code"], verifier=entry["verifier"], redirect_uri=entry["redirect_uri"]
        )
        claims = oidc.id_token_claims(provider, id_token=tokens["id_token"], nonce=entry["nonce"])
        identity = oidc.identity_from_claims(provider, claims)
    except oidc.OidcError as exc:
        logger.warning("MitID login failed: %s", exc)
        return _refuse(request, pb_round, exc.code, exc.status)
    return _verified(request, pb_round, identity)


def _verified(request, pb_round: Round, identity: VoterIdentity) -> HttpResponse:
    """Check what can be checked before the ballot (age, municipality), then go to the ballot."""
    if reason := eligibility_problem(pb_round, identity, None):
        return _refuse(request, pb_round, reason, 403)
    identity_store(request, round_id=pb_round.pk, identity=identity)
    return redirect("rounds:ballot", slug=pb_round.slug)


# --- Email code ---


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class DescribedForm(forms.Form):
    """Errors and help are announced with the field: aria-describedby names them, aria-invalid marks it."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            ids = [f"{self[name].auto_id}_helptext"] if field.help_text else []
            if name in self.errors:
                ids.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class EmailForm(DescribedForm):
    email = forms.CharField(label=_("Email address"), max_length=254, validators=[EmailValidator()])
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Or give your age below."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", _("A Danish postcode has four digits."))],
    )

    def clean_birth_date(self) -> dt.date | None:
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and not dt.date(1900, 1, 1) <= birth_date <= timezone.localdate():
            raise ValidationError(_("Enter a real birth date."))
        return birth_date

    def clean(self) -> dict:
        cleaned = super().clean()
        given = cleaned.get("birth_date") is not None or cleaned.get("age") is not None
        if not given and not {"birth_date", "age"} & set(self.errors):
            self.add_error("age", ValidationError(_("Give your birth date or your age."), code="age_missing"))
        return cleaned


class CodeForm(DescribedForm):
    code = forms.CharField(
        label=_("The code from the email"),
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("The code has six digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _email_page(request, pb_round, *, form=None, code_form=None, pending=None, error="", status=200):
    context = {
        "pb_round": pb_round,
        "form": form or EmailForm(),
        "code_form": code_form or CodeForm(),
        "pending": pending,
        "error": error,
        "minutes": email_codes.CODE_TTL // 60,
    }
    return render(request, "rounds/vote_email.html", context, status=status)


@require_http_methods(["GET", "POST"])
def vote_email(request, slug: str):
    """Step 1: address, age and postcode; a code is mailed. Step 2: the code; then the ballot."""
    pb_round = _round(slug)
    if problem := _closed_problem(pb_round, "email_verification"):
        return _refuse(request, pb_round, *problem)
    pending = request.session.get(EMAIL_PENDING_KEY)
    if pending and pending.get("round_id") != pb_round.pk:
        pending = None
    if request.method == "GET":
        return _email_page(request, pb_round, pending=pending if "ny" not in request.GET else None)
    if "code" in request.POST and pending:
        return _email_confirm(request, pb_round, pending)
    return _email_request(request, pb_round)


def _email_request(request, pb_round: Round) -> HttpResponse:
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _email_page(request, pb_round, form=form, status=400)
    address = email_codes.address_normalise(form.cleaned_data["email"])
    if email_codes.throttled("email-send-client", _client(request), email_codes.SENDS_PER_CLIENT) or (
        email_codes.throttled("email-send-address", address, email_codes.SENDS_PER_ADDRESS)
    ):
        return _email_page(request, pb_round, form=form, error=REASONS["too_many_requests"], status=429)
    birth_date = form.cleaned_data["birth_date"]
    code = email_codes.code_issue(round_id=pb_round.pk, address=address)
    email_codes.code_send(address=address, code=code, round_title=pb_round.title)
    pending = {
        "round_id": pb_round.pk,
        "email": address,
        "birth_date": birth_date.isoformat() if birth_date else None,
        "age": None if birth_date else form.cleaned_data["age"],
        "postcode": form.cleaned_data["postcode"],
    }
    request.session[EMAIL_PENDING_KEY] = pending
    return _email_page(request, pb_round, pending=pending)


def _email_confirm(request, pb_round: Round, pending: dict) -> HttpResponse:
    code_form = CodeForm(request.POST)
    if email_codes.throttled("email-check-client", _client(request), email_codes.CHECKS_PER_CLIENT):
        return _email_page(
            request,
            pb_round,
            code_form=code_form,
            pending=pending,
            error=REASONS["too_many_requests"],
            status=429,
        )
    if not code_form.is_valid():
        return _email_page(request, pb_round, code_form=code_form, pending=pending, status=400)
    reason = email_codes.code_check(
        round_id=pb_round.pk, address=pending["email"], code=code_form.cleaned_data["code"]
    )
    if reason:
        status = 429 if reason == "email_code_too_many_tries" else 400
        return _email_page(
            request, pb_round, code_form=CodeForm(), pending=pending, error=REASONS[reason], status=status
        )
    request.session.pop(EMAIL_PENDING_KEY, None)
    identity = VoterIdentity(
        tier=Tier.EMAIL,
        channel=Channel.ONLINE,
        keys=(f"email:{pending['email']}",),
        birth_date=dt.date.fromisoformat(pending["birth_date"]) if pending["birth_date"] else None,
        age=pending["age"],
        postcode=pending["postcode"],
    )
    return _verified(request, pb_round, identity)
