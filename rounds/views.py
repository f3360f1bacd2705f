"""The citizen site's pages of a round and a proposal. Thin: selectors read, templates show."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from rounds import selectors
from rounds.forms import CommentForm


def home(request):
    """The municipality's front page: its current round, and the others."""
    pb_round = selectors.round_current()
    return render(request, "rounds/home.html", selectors.round_page_context(pb_round))


def round_detail(request, slug: str):
    try:
        pb_round = selectors.round_get_published(slug)
    except selectors.Round.DoesNotExist:
        raise Http404 from None
    return render(request, "rounds/home.html", selectors.round_page_context(pb_round))


def proposal_detail(request, pk: int):
    """A proposal with its whole decision chain: assessment, statements, result, decision, implementation."""
    try:
        proposal = selectors.proposal_get_public(pk)
    except selectors.Proposal.DoesNotExist:
        raise Http404 from None
    my_support = None
    if request.user.is_authenticated:
        my_support = proposal.supports.filter(user=request.user).values_list("value", flat=True).first()
    context = {
        "proposal": proposal,
        "pb_round": proposal.round,
        "supports": str(proposal.round.rules.supports),
        "my_support": my_support,
        "comment_form": CommentForm(),
    }
    return render(request, "rounds/proposal_detail.html", context)


def accessibility_statement_redirect(request):
    """/was: Danish law expects the accessibility statement at this address on every site."""
    url = getattr(request.tenant, "accessibility_statement_url", "") or reverse(
        "rounds:accessibility_statement"
    )
    return redirect(url)


def accessibility_statement(request):
    """The platform's own accessibility statement, used until the municipality links its own."""
    return render(request, "rounds/accessibility_statement.html")
