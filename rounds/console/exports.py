"""Exports of a round: proposals and results as CSV (semicolon-separated, for Danish Excel) and as
Excel workbooks (.xlsx, the same columns, amounts as numbers), and the whole round as a JSON
archive. The proposal CSV imports again unchanged (rounds/services/proposal_import.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from rounds import selectors
from rounds.console import selectors as console_selectors
from rounds.models import Proposal, Round

PROPOSAL_COLUMNS = (
    "id", "title", "summary", "description", "cost", "author_name", "author_email", "area", "theme",
    "status", "supports_for", "supports_against", "votes", "funded_amount",
)  # fmt: skip
RESULT_COLUMNS = (
    "rank",
    "id",
    "title",
    "area",
    "cost",
    "score",
    "selected",
    "selected_by_rule",
    "funded_amount",
)


# Columns that hold kroner: numbers in the workbook, shown as "75.000 kr." by a Danish Excel.
AMOUNT_COLUMNS = frozenset({"cost", "funded_amount"})
AMOUNT_FORMAT = '#,##0 "kr."'


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    # The BOM makes Excel read the file as UTF-8 (æ, ø, å); the semicolon is Danish Excel's separator.
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _proposal_row(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "description": p.description,
        "cost": p.cost,
        "author_name": p.author_name,
        "author_email": p.author_email,
        "area": p.area.name if p.area else "",
        "theme": p.theme.name if p.theme else "",
        "status": p.status,
        "supports_for": p.supports_for,
        "supports_against": p.supports_against,
        "votes": "" if p.votes is None else p.votes,
        "funded_amount": "" if p.funded_amount is None else p.funded_amount,
    }


def _xlsx(columns: tuple[str, ...], rows: list[dict[str, Any]], title: str) -> bytes:
    """One sheet: the header, then the rows; empty CSV cells are empty cells, amounts are numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append([None if row[c] == "" else row[c] for c in columns])
    for index, column in enumerate(columns, start=1):
        if column in AMOUNT_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(column) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _proposal_rows(pb_round: Round) -> list[dict[str, Any]]:
    """Every proposal of the round except drafts, in id order."""
    proposals = selectors.proposals_with_support(pb_round).order_by("id")
    return [_proposal_row(p) for p in proposals]


def proposals_csv(pb_round: Round) -> str:
    return _csv(PROPOSAL_COLUMNS, _proposal_rows(pb_round))


def proposals_xlsx(pb_round: Round) -> bytes:
    return _xlsx(PROPOSAL_COLUMNS, _proposal_rows(pb_round), "forslag")


def results_csv(pb_round: Round) -> str:
    return _csv(RESULT_COLUMNS, _result_rows(pb_round))


def results_xlsx(pb_round: Round) -> bytes:
    return _xlsx(RESULT_COLUMNS, _result_rows(pb_round), "resultat")


def _result_rows(pb_round: Round) -> list[dict[str, Any]]:
    """The stored result, one row per project in rank order; none without a result."""
    result = getattr(pb_round, "result", None)
    rows = []
    if result is not None:
        for project in result.projects.select_related("proposal", "proposal__area").order_by("rank"):
            p = project.proposal
            rows.append({
                "rank": project.rank, "id": p.pk, "title": p.title, "area": p.area.name if p.area else "",
                "cost": p.current_cost, "score": project.score, "selected": int(project.is_selected),
                "selected_by_rule": int(project.selected_by_rule),
                "funded_amount": "" if project.funded_amount is None else project.funded_amount,
            })  # fmt: skip
    return rows


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def round_archive(pb_round: Round) -> dict[str, Any]:
    """The round as plain data: settings, phases, areas, themes, proposals with their decision
    chain, the result with its certificate, the evaluation. No voter data: ballots are counted
    by channel only (the anonymous ballots are in the result's .pb certificate)."""
    proposals = (
        selectors.proposals_with_support(pb_round)
        .select_related("assessment", "decision")
        .prefetch_related("statements", "updates")
        .order_by("id")
    )
    result = getattr(pb_round, "result", None)
    evaluation = getattr(pb_round, "evaluation", None)
    return {
        "format": "borgerbudget-round-archive/1",
        "round": {
            "title": pb_round.title, "slug": pb_round.slug, "summary": pb_round.summary,
            "process_model": pb_round.process_model, "settings": pb_round.settings,
            "funding_source": pb_round.funding_source, "is_published": pb_round.is_published,
            "created_at": _dt(pb_round.created_at), "rules_frozen_at": _dt(pb_round.rules_frozen_at),
        },
        "phases": [
            {"kind": ph.kind, "position": ph.position, "state": ph.state, "starts_at": _dt(ph.starts_at),
             "ends_at": _dt(ph.ends_at), "opened_at": _dt(ph.opened_at), "closed_at": _dt(ph.closed_at)}
            for ph in pb_round.phases.order_by("position")
        ],
        "themes": [t.name for t in pb_round.themes.all()],
        "areas": [{"name": a.name, "kind": a.kind, "pot": a.pot} for a in pb_round.areas.all()],
        "checklist": [{"kind": c.kind, "text": c.text} for c in pb_round.checklist_items.all()],
        "proposals": [_archived_proposal(p) for p in proposals],
        "ballots_by_channel": {
            channel: n for channel, _label, n in console_selectors.ballot_counts(pb_round)
        },
        "result": None if result is None else {
            "method": result.method, "settings": result.settings, "spent": result.spent,
            "ballots": result.ballots,
            "channel_mix": result.channel_mix, "override_reason": result.override_reason,
            "certificate_sha256": result.certificate_sha256, "certificate_pb": result.certificate_pb,
            "computed_at": _dt(result.computed_at), "published_at": _dt(result.published_at),
            "projects": [
                {"proposal": pr.proposal_id, "rank": pr.rank, "score": pr.score, "selected": pr.is_selected,
                 "funded_amount": pr.funded_amount}
                for pr in result.projects.order_by("rank")
            ],
        },
        "evaluation": None if evaluation is None else {
            "summary": evaluation.summary, "recommendations": evaluation.recommendations,
            "made_with": evaluation.made_with, "published_at": _dt(evaluation.published_at),
        },
    }  # fmt: skip


def _archived_proposal(p: Proposal) -> dict[str, Any]:
    row = _proposal_row(p)
    assessment = getattr(p, "assessment", None)
    decision = getattr(p, "decision", None)
    row.update({
        "submitted_at": _dt(p.submitted_at),
        "assessment": None if assessment is None else {
            "department": assessment.department, "outcome": assessment.outcome,
            "revised_cost": assessment.revised_cost, "public_reason": assessment.public_reason,
            "assessed_at": _dt(assessment.assessed_at),
        },
        "statements": [
            {"by": s.body_name, "text": s.text, "given_at": _dt(s.given_at)} for s in p.statements.all()
        ],
        "decision": None if decision is None else {
            "outcome": decision.outcome, "amount": decision.amount, "reason": decision.reason,
            "decided_by": decision.decided_by, "decided_at": _dt(decision.decided_at),
        },
        "updates": [
            {"status": u.status, "progress": u.progress, "text": u.text, "payout": u.payout,
             "invoice_reference": u.invoice_reference, "posted_at": _dt(u.posted_at)}
            for u in p.updates.all()
        ],
    })  # fmt: skip
    return row
