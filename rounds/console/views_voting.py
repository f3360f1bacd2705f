"""Voting day: staff enter paper ballots (with serial numbers), run a kiosk, follow the count by channel.

The voter's identity was checked at the table (name and birth date, the key MitID brokers
share), so one register spans paper, kiosk and online ballots.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from models_catalogue.base import Action
from rounds import selectors
from rounds.console import selectors as console_selectors
from rounds.console.forms_voting import BallotChoicesForm, PaperBallotForm, VoterCheckedForm
from rounds.console.roles import VOTING_DAY, role_required
from rounds.eligibility import identity_checked_by_staff
from rounds.models import Round
from rounds.models.voting import Channel
from rounds.rules import RuleViolation
from rounds.services.ballots import ballot_cast, ballot_proposals
from rounds.services.kiosk import (
    KIOSK_SALT,
    VOTER_SALT,
    kiosk_ballot_cast,
    kiosk_token,
    token_read,
    voter_token,
)
from rounds.services.paper import CAST, MISMATCH, PENDING, paper_ballot_enter


@role_required(VOTING_DAY)
def voting_rounds(request):
    """The rounds whose voting is open now."""
    rounds = [r for r in Round.objects.order_by("title") if console_selectors.round_allows(r, Action.VOTE)]
    return render(request, "console/voting_rounds.html", {"rounds": rounds})


def _voting_round(slug: str) -> Round:
    return get_object_or_404(Round, slug=slug)


SERIAL_REASONS = {
    "serial_taken",
    "serial_required",
    "serial_flagged",
    "serial_discarded",
    "double_entry_same_person",
}
PAPER_MESSAGES = {  # what staff are told after entering a ballot, by its outcome
    CAST: (messages.SUCCESS, gettext_lazy("Ballot %(serial)s is entered and counted.")),
    PENDING: (
        messages.INFO,
        gettext_lazy(
            "Ballot %(serial)s is entered once. It counts when another staff member has entered it too."
        ),
    ),
    MISMATCH: (
        messages.WARNING,
        gettext_lazy(
            "Ballot %(serial)s differs from the first entry. It is not counted; an admin will resolve it."
        ),
    ),
}


@role_required(VOTING_DAY)
@require_http_methods(["GET", "POST"])
def paper_entry(request, slug: str):
    pb_round = _voting_round(slug)
    proposals = selectors.ballot_proposal_list(pb_round, list(ballot_proposals(pb_round, None)))
    form = PaperBallotForm(request.POST or None, pb_round=pb_round, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data.get("area")
        identity = identity_checked_by_staff(
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
            channel=Channel.PAPER,
            area_id=area.pk if area else None,
        )
        try:
            outcome = paper_ballot_enter(
                pb_round=pb_round,
                identity=identity,
                choices=form.choices(),
                area=area,
                serial=form.cleaned_data["serial"],
                actor=request.user,
            )
        except RuleViolation as exc:
            form.add_error("serial" if exc.code in SERIAL_REASONS else None, exc.message)
        else:
            level, text = PAPER_MESSAGES[outcome.status]
            messages.add_message(request, level, text % {"serial": outcome.serial})
            return redirect("console:paper_entry", slug=slug)
    context = {
        "pb_round": pb_round,
        "form": form,
        "counts": console_selectors.ballot_counts(pb_round),
        "entry_counts": console_selectors.paper_entry_counts(pb_round),
        "is_open": console_selectors.round_allows(pb_round, Action.VOTE),
    }
    return render(request, "console/paper_entry.html", context, status=400 if form.errors else 200)


@role_required(VOTING_DAY)
def ballot_count(request, slug: str):
    """The live count by channel; the page reloads itself every 30 seconds."""
    pb_round = _voting_round(slug)
    counts = console_selectors.ballot_counts(pb_round)
    context = {
        "pb_round": pb_round,
        "counts": counts,
        "total": sum(n for _c, _l, n in counts),
        "entry_counts": console_selectors.paper_entry_counts(pb_round),
    }
    response = render(request, "console/ballot_count.html", context)
    response["Refresh"] = "30"
    return response


# --- Kiosk: a tablet at the venue. Staff check the voter's identification and hand the tablet
# over; the voter fills in the ballot; after the receipt the kiosk returns to the staff step.
# The voter waiting to vote is kept in the staff member's session and, signed, in the page, so
# that a ballot queued on the device while the network is down is one self-contained request.
KIOSK_VOTER = "console_kiosk_voter"


@role_required(VOTING_DAY)
@require_http_methods(["GET", "POST"])
def kiosk_start(request, slug: str):
    pb_round = _voting_round(slug)
    request.session.pop(KIOSK_VOTER, None)
    form = VoterCheckedForm(request.POST or None, pb_round=pb_round)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data.get("area")
        request.session[KIOSK_VOTER] = {
            "round": pb_round.pk,
            "name": form.cleaned_data["name"],
            "birth_date": form.cleaned_data["birth_date"].isoformat(),
            "area": area.pk if area else None,
        }
        return redirect("console:kiosk_ballot", slug=slug)
    context = {
        "pb_round": pb_round,
        "form": form,
        "is_open": console_selectors.round_allows(pb_round, Action.VOTE),
    }
    return render(request, "console/kiosk_start.html", context, status=400 if form.errors else 200)


def _kiosk_voter(request, pb_round: Round) -> dict | None:
    """The voter staff checked: from the signed token in the page, from the fields staff filled in
    on a kiosk this staff member opened (the next voter while the network was down), or from the
    session (the page without its token). Shape: name, birth_date (ISO), area (id or None)."""
    staff_id = request.user.pk
    if request.method == "POST":
        token = request.POST.get("voter", "")
        if token and (payload := token_read(token, salt=VOTER_SALT, pb_round=pb_round, staff_id=staff_id)):
            return {"name": payload["n"], "birth_date": payload["b"], "area": payload["a"]}
        kiosk = request.POST.get("kiosk", "")
        if kiosk and token_read(kiosk, salt=KIOSK_SALT, pb_round=pb_round, staff_id=staff_id):
            checked = VoterCheckedForm(request.POST, pb_round=pb_round)
            if checked.is_valid():
                area = checked.cleaned_data.get("area")
                return {
                    "name": checked.cleaned_data["name"],
                    "birth_date": checked.cleaned_data["birth_date"].isoformat(),
                    "area": area.pk if area else None,
                }
    voter = request.session.get(KIOSK_VOTER)
    if voter and voter["round"] == pb_round.pk:
        return voter
    return None


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@role_required(VOTING_DAY)
@require_http_methods(["GET", "POST"])
def kiosk_ballot(request, slug: str):
    """The voter's ballot. With JavaScript (static/js/kiosk.js) it is sent with fetch and an
    idempotency key, queued on the device while the network is down; without, a plain form."""
    pb_round = _voting_round(slug)
    wants_json = _wants_json(request)
    key = None
    if request.method == "POST" and request.POST.get("idempotency_key"):
        try:
            key = uuid.UUID(request.POST["idempotency_key"])
        except ValueError:
            return JsonResponse({"errors": [_("The ballot's key is not valid.")]}, status=400)
    voter = _kiosk_voter(request, pb_round)
    if voter is None:
        if wants_json:
            return JsonResponse({"errors": [_("No voter has been checked for this ballot.")]}, status=400)
        return redirect("console:kiosk_start", slug=slug)
    area = pb_round.areas.filter(pk=voter["area"]).first() if voter["area"] else None
    proposals = selectors.ballot_proposal_list(pb_round, list(ballot_proposals(pb_round, area)))
    form = BallotChoicesForm(request.POST or None, pb_round=pb_round, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        identity = identity_checked_by_staff(
            name=voter["name"],
            birth_date=dt.date.fromisoformat(voter["birth_date"]),
            channel=Channel.KIOSK,
            area_id=voter["area"],
        )
        cast = dict(
            pb_round=pb_round, identity=identity, choices=form.choices(), area=area, actor=request.user
        )
        try:
            result = kiosk_ballot_cast(key=key, **cast) if key else ballot_cast(**cast)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(KIOSK_VOTER, None)
            if wants_json:
                return JsonResponse({"receipt": result.receipt})
            response = render(request, "console/kiosk_receipt.html", {"pb_round": pb_round, "result": result})
            response["Refresh"] = f"15; url={reverse('console:kiosk_start', args=[slug])}"
            return response
    if wants_json:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"errors": errors}, status=400)
    context = {
        "pb_round": pb_round,
        "form": form,
        "area": area,
        "rules": pb_round.rules,
        "voter_token": voter_token(
            pb_round=pb_round,
            staff_id=request.user.pk,
            name=voter["name"],
            birth_date=dt.date.fromisoformat(voter["birth_date"]),
            area_id=voter["area"],
        ),
        "kiosk_token": kiosk_token(pb_round=pb_round, staff_id=request.user.pk),
        "next_voter": VoterCheckedForm(pb_round=pb_round, prefix="next"),
        "kiosk_texts": {
            "waiting": _("Waiting to send: %(count)s ballots. Keep the kiosk switched on."),
            "sent": _("All ballots are sent."),
            "queued": _("Your vote is saved on this kiosk and will be sent when the network returns."),
            "receipt": _("Your vote is counted. Your receipt code is %(receipt)s."),
            "refused": _("A ballot waiting to be sent was refused: %(reason)s"),
            "missing": _("Enter the voter's name and birth date."),
        },
    }
    return render(request, "console/kiosk_ballot.html", context, status=400 if form.errors else 200)
