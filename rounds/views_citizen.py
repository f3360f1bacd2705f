"""The citizen site beyond the front page: login by email code, proposals (list, submit,
support, comment), meetings, results and accountability. Views parse, call one service or
selector, and render; rules live in the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds import email_codes, selectors
from rounds.forms import CommentForm, LoginCodeForm, LoginEmailForm, ProposalForm, SignupForm, SurveyForm
from rounds.models import Evaluation, Proposal, Round, RoundResult
from rounds.rules import REASONS, RuleViolation
from rounds.services.participation import meeting_sign_up
from rounds.services.proposals import comment_add, proposal_edit, proposal_submit
from rounds.services.supports import support_give, support_withdraw
from rounds.services.survey import survey_answer

PAGE_SIZE = 20
LOGIN_SCOPE = 0  # email_codes keeps codes per round; site logins use round 0
# Which form field a refusal belongs to, so the message stands next to it.
FIELD_OF_REASON = {
    "over_cap": "cost", "under_minimum": "cost", "over_pot": "cost", "over_area_pot": "cost",
    "theme_required": "theme", "foreign_theme": "theme", "area_required": "area", "foreign_area": "area",
    "checklist_incomplete": "checklist",
}  # fmt: skip
SUBMISSIONS_PER_HOUR = (10, 3600)
COMMENTS_PER_HOUR = (30, 3600)


def _round(slug: str) -> Round:
    try:
        return selectors.round_get_published(slug)
    except Round.DoesNotExist:
        raise Http404 from None


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed else fallback


# --- Login by email code ---


def login_start(request):
    """Log in with a six-digit code sent to your email; the account belongs to this municipality."""
    form = LoginEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = email_codes.address_normalise(form.cleaned_data["email"])
        if email_codes.throttled("login-client", _client(request), email_codes.SENDS_PER_CLIENT) or (
            email_codes.throttled("login-address", address, email_codes.SENDS_PER_ADDRESS)
        ):
            form.add_error(None, _("Too many attempts. Please wait a while and try again."))
        else:
            code = email_codes.code_issue(round_id=LOGIN_SCOPE, address=address)
            email_codes.code_send(address=address, code=code, round_title=_("your login"))
            code_form = LoginCodeForm(initial={"email": address})
            context = {"form": code_form, "email": address, "next": _safe_next(request, "/")}
            return render(request, "rounds/login_code.html", context)
    return render(request, "rounds/login.html", {"form": form, "next": _safe_next(request, "/")})


@require_POST
def login_code(request):
    form = LoginCodeForm(request.POST)
    if form.is_valid():
        address = email_codes.address_normalise(form.cleaned_data["email"])
        if email_codes.throttled("login-check", _client(request), email_codes.CHECKS_PER_CLIENT):
            form.add_error("code", _("Too many attempts. Please wait a while and try again."))
        elif reason := email_codes.code_check(
            round_id=LOGIN_SCOPE, address=address, code=form.cleaned_data["code"]
        ):
            form.add_error("code", RuleViolation(reason).message if reason in REASONS else _("Wrong code."))
        else:
            user, _created = get_user_model().objects.get_or_create(
                username=address[:150], defaults={"email": address}
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request, "/"))
    email = request.POST.get("email", "")
    return render(
        request,
        "rounds/login_code.html",
        {"form": form, "email": email, "next": _safe_next(request, "/")},
        status=400,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


# --- Proposals ---


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def proposal_list(request, slug: str):
    pb_round = _round(slug)
    params = {
        "theme": _int(request.GET.get("tema")),
        "area": _int(request.GET.get("omraade")),
        "status": request.GET.get("status") or None,
        "q": request.GET.get("q", "")[:100],
        "sort": request.GET.get("sorter", "support"),
    }
    if params["status"] not in Proposal.Status.values:
        params["status"] = None
    page = Paginator(selectors.proposal_list_for_round(pb_round, **params), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "pb_round": pb_round,
        "page": page,
        "params": params,
        "query": query.urlencode(),
        "themes": list(pb_round.themes.all()),
        "areas": list(pb_round.areas.all()),
        "statuses": [(v, label) for v, label in Proposal.Status.choices if v != Proposal.Status.DRAFT],
        "sorts": [
            ("support", _("Most support")),
            ("newest", _("Newest")),
            ("cost", _("Cheapest")),
            ("cost_desc", _("Most expensive")),
            ("votes", _("Most votes")),
        ],  # fmt: skip
    }
    return render(request, "rounds/proposal_list.html", context)


@login_required(login_url="rounds:login")
def proposal_new(request, slug: str):
    """Submit a proposal. When the round's rules refuse it, it is kept as a draft, never lost."""
    pb_round = _round(slug)
    form = ProposalForm(request.POST or None, pb_round=pb_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"], "summary": data.get("summary", ""), "description": data["description"],
            "cost": data["cost"], "area": data.get("area"), "theme": data.get("theme"),
            "checklist_confirmed": [int(x) for x in data.get("checklist", [])],
        }  # fmt: skip
        as_draft = "save_draft" in request.POST
        draft = Proposal.objects.filter(
            pk=data.get("draft") or 0, author=request.user, status="draft"
        ).first()
        try:
            if email_codes.throttled("proposal", str(request.user.pk), SUBMISSIONS_PER_HOUR):
                raise RuleViolation("too_many_submissions")
            if draft is not None:
                proposal = proposal_edit(proposal=draft, editor=request.user, submit=not as_draft, **fields)
            else:
                proposal = proposal_submit(
                    pb_round=pb_round,
                    author=request.user,
                    author_name=_display_name(request.user),
                    as_draft=as_draft,
                    **fields,
                )
        except RuleViolation as exc:
            form.add_error(
                FIELD_OF_REASON.get(exc.code) if FIELD_OF_REASON.get(exc.code) in form.fields else None,
                exc.message,
            )
            if draft is None and exc.code in FIELD_OF_REASON:
                draft = proposal_submit(
                    pb_round=pb_round,
                    author=request.user,
                    author_name=_display_name(request.user),
                    as_draft=True,
                    **fields,
                )
            if draft is not None:
                form.data = form.data.copy()
                form.data["draft"] = draft.pk
        else:
            if proposal.status == Proposal.Status.DRAFT:
                messages.success(request, _("Your draft is saved. Submit it when it is ready."))
            else:
                messages.success(request, _("Thank you! Your proposal is submitted."))
            return redirect("rounds:proposal_detail", pk=proposal.pk)
        return render(
            request,
            "rounds/proposal_form.html",
            {"pb_round": pb_round, "form": form, "draft": draft},
            status=400,
        )
    return render(request, "rounds/proposal_form.html", {"pb_round": pb_round, "form": form})


@require_POST
@login_required(login_url="rounds:login")
def proposal_support(request, pk: int):
    proposal = _public_proposal(pk)
    value = request.POST.get("value", "1")
    try:
        if value == "0":
            support_withdraw(proposal=proposal, user=request.user)
        else:
            support_give(proposal=proposal, user=request.user, value=-1 if value == "-1" else 1)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Thank you: your support is registered.") if value != "0" else _("Your support is withdrawn."),
        )
    return redirect("rounds:proposal_detail", pk=pk)


@require_POST
@login_required(login_url="rounds:login")
def proposal_comment(request, pk: int):
    proposal = _public_proposal(pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
    elif email_codes.throttled("comment", str(request.user.pk), COMMENTS_PER_HOUR):
        messages.error(request, _("Too many attempts. Please wait a while and try again."))
    else:
        try:
            comment_add(
                proposal=proposal,
                author=request.user,
                author_name=_display_name(request.user),
                body=form.cleaned_data["body"],
            )
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your comment is published."))
    return redirect(reverse("rounds:proposal_detail", args=[pk]) + "#kommentarer")


def _display_name(user) -> str:
    """The name shown with a citizen's proposals and comments: never the full email address."""
    return user.get_full_name() or user.username.split("@")[0]


def _public_proposal(pk: int) -> Proposal:
    try:
        return selectors.proposal_get_public(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


# --- Meetings ---


def meetings(request, slug: str):
    pb_round = _round(slug)
    meeting_list = selectors.meetings_for_round(pb_round)
    forms_by_meeting = {m.pk: SignupForm(prefix=f"m{m.pk}") for m in meeting_list}
    status = 200
    if request.method == "POST":
        meeting = next((m for m in meeting_list if str(m.pk) == request.POST.get("meeting")), None)
        if meeting is None:
            raise Http404
        form = SignupForm(request.POST, prefix=f"m{meeting.pk}")
        forms_by_meeting[meeting.pk] = form
        if form.is_valid():
            try:
                meeting_sign_up(
                    meeting=meeting, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("You are signed up for %(title)s.") % {"title": meeting.title})
                return redirect("rounds:meetings", slug=slug)
        else:
            status = 400
    items = [(m, forms_by_meeting[m.pk]) for m in meeting_list]
    return render(request, "rounds/meetings.html", {"pb_round": pb_round, "items": items}, status=status)


# --- Results and accountability ---


def results(request, slug: str):
    pb_round = _round(slug)
    try:
        result, projects = selectors.round_result_public(pb_round)
    except RoundResult.DoesNotExist:
        result, projects = None, []
    chart = {
        "labels": [p.proposal.title for p in projects],
        "scores": [p.score for p in projects],
        "selected": [p.is_selected for p in projects],
    }
    context = {
        "pb_round": pb_round,
        "result": result,
        "projects": projects,
        "chart": chart,
        "rules": pb_round.rules,
    }
    return render(request, "rounds/results.html", context)


def accountability(request, slug: str):
    pb_round = _round(slug)
    context = {"pb_round": pb_round, "proposals": selectors.accountability_for_round(pb_round)}
    return render(request, "rounds/accountability.html", context)


def evaluation(request, slug: str):
    """The round's evaluation and, while the round is being evaluated, the citizens' survey."""
    pb_round = _round(slug)
    answered_key = f"survey-answered-{pb_round.pk}"
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not request.session.get(answered_key):
        try:
            survey_answer(pb_round=pb_round, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            request.session[answered_key] = True
            messages.success(request, _("Thank you for your answer."))
            return redirect("rounds:evaluation", slug=slug)
    context = {
        "pb_round": pb_round,
        "evaluation": Evaluation.objects.filter(round=pb_round).first(),
        "form": form,
        "survey_open": "evaluate" in selectors.round_page_context(pb_round)["actions"],
        "answered": request.session.get(answered_key, False),
    }
    return render(request, "rounds/evaluation.html", context, status=400 if form.errors else 200)
