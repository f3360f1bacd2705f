"""The citizen site's pages of a round and a proposal. Thin: selectors read, templates show."""

from django.http import Http404
from django.shortcuts import render

from rounds import selectors


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
    return render(request, "rounds/proposal_detail.html", {"proposal": proposal, "pb_round": proposal.round})
