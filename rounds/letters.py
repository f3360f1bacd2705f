"""Letters with voting codes: one A4 page per code, for Digital Post or paper.

Drawn straight on a reportlab canvas (no layout engine). The text every letter shares is drawn
once as a PDF form that each page reuses, so a page holds little more than its code and 50,000
letters stay small (about 25 MB). The text is in the municipality's language, Danish by default.

Rendering 50,000 letters takes tens of seconds, most of it in reportlab's `save()`, which writes
every page at the end. Progress is reported through a callback for both parts, drawing and
writing, so this module knows nothing of where progress goes (a console task, a command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import BinaryIO

from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from rounds.models import Round, VotingCodeBatch

# The steps `on_progress` reports, each counting letters up to the batch's size.
DRAWING, WRITING = "drawing", "writing"
ProgressCallback = Callable[[str, int], None]

WIDTH, HEIGHT = A4
MARGIN = 25 * mm
TEXT_WIDTH = WIDTH - 2 * MARGIN


def _municipality():
    tenant = getattr(connection, "tenant", None)
    if tenant is None or not hasattr(tenant, "primary_url"):
        from tenants.models import Municipality

        tenant = Municipality.objects.get(schema_name=connection.schema_name)
    return tenant


def _voting_closes(pb_round: Round):
    """The end of the round's voting phase, if it is scheduled."""
    from models_catalogue.base import Action

    for phase in pb_round.phases.all():
        if Action.VOTE in pb_round.model.phase(phase.kind).allows and phase.ends_at:
            return timezone.localtime(phase.ends_at).date()
    return None


def letters_context(batch: VotingCodeBatch) -> dict:
    """What every letter of the batch says besides its code."""
    municipality = _municipality()
    base = municipality.primary_url().rstrip("/")
    return {
        "municipality": municipality.name,
        "round_title": batch.round.title,
        "address": base + reverse("rounds:vote_code", kwargs={"slug": batch.round.slug}),
        "area_name": batch.area.name if batch.area else "",
        "closes_on": _voting_closes(batch.round),
        "language": getattr(municipality, "default_language", "") or "da",
    }


def _paragraph(canvas: Canvas, text: str, y: float, *, font="Helvetica", size=11, leading=15) -> float:
    for line in simpleSplit(text, font, size, TEXT_WIDTH):
        canvas.setFont(font, size)
        canvas.drawString(MARGIN, y, line)
        y -= leading
    return y - leading / 2


def _texts(*, municipality, round_title, address, area_name, closes_on) -> dict[str, object]:
    """The letter's sentences, translated once for the whole batch."""
    steps = [
        _("Go to %(address)s") % {"address": address},
        _("Type the voting code from this letter. Capital or small letters and the dashes do not matter."),
        _("Choose the projects you want, and cast your vote. You get a receipt code."),
    ]
    return {
        "heading": _("Your voting code for %(round)s") % {"round": round_title},
        "intro": _(
            "You can vote in %(round)s, the citizen budget of %(municipality)s. "
            "Here you decide together which projects get money."
        )
        % {"round": round_title, "municipality": municipality},
        "area": _("Your area: %(area)s") % {"area": area_name} if area_name else "",
        "how": _("How to vote"),
        "steps": steps,
        "code_label": _("Your voting code"),
        "once": _(
            "The code can be used once. Keep it to yourself: anyone who has it can vote in your place. "
            "Your vote is secret: the code is not stored with your ballot."
        ),
        "closes": _("Voting closes on %(date)s.") % {"date": formats.date_format(closes_on, "j. F Y")}
        if closes_on
        else "",
    }


def _letter_form(canvas: Canvas, texts: dict, municipality: str) -> float:
    """Draw what every letter shares once, as a PDF form the pages reuse; return where the code goes."""
    canvas.beginForm("letter")
    y = HEIGHT - MARGIN
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(MARGIN, y, municipality)
    y -= 25 * mm
    y = _paragraph(canvas, texts["heading"], y, font="Helvetica-Bold", size=18, leading=22)
    y = _paragraph(canvas, texts["intro"], y)
    if texts["area"]:
        y = _paragraph(canvas, texts["area"], y, font="Helvetica-Bold")
    y = _paragraph(canvas, texts["code_label"], y - 4 * mm, font="Helvetica-Bold", size=12)
    box_height = 22 * mm
    canvas.roundRect(MARGIN, y - box_height + 10 * mm, TEXT_WIDTH, box_height, 3 * mm)
    code_y = y - box_height / 2 + 6 * mm
    y -= box_height + 4 * mm
    y = _paragraph(canvas, texts["how"], y, font="Helvetica-Bold", size=12)
    for number, step in enumerate(texts["steps"], start=1):
        y = _paragraph(canvas, f"{number}. {step}", y)
    if texts["closes"]:
        y = _paragraph(canvas, texts["closes"], y, font="Helvetica-Bold")
    _paragraph(canvas, texts["once"], y, size=10, leading=13)
    canvas.endForm()
    return code_y


def letters_render(
    out: BinaryIO,
    codes: Iterable[str],
    *,
    municipality: str,
    round_title: str,
    address: str,
    area_name: str = "",
    closes_on=None,
    language: str = "da",
    on_progress: ProgressCallback | None = None,
    every: int = 1000,
) -> int:
    """Write one A4 letter per code to `out` as a PDF and return the number of pages.

    `on_progress(step, letters)` is called every `every` letters and at the end of each step:
    DRAWING while the pages are drawn, then WRITING while the PDF is written out.
    """
    with translation.override(language):
        texts = _texts(
            municipality=municipality,
            round_title=round_title,
            address=address,
            area_name=area_name,
            closes_on=closes_on,
        )
        # Uncompressed pages: a page is a few dozen bytes, which zlib (and ASCII85 around it) makes
        # no smaller, only slower to write. The shared form is one object either way.
        canvas = Canvas(out, pagesize=A4, pageCompression=0)
        canvas.setTitle(texts["heading"])
        canvas.setAuthor(municipality)
        code_y = _letter_form(canvas, texts, municipality)
        pages = 0
        for code in codes:
            # A page is the shared form plus its code: small, so 50,000 pages stay small.
            canvas.doForm("letter")
            canvas.setFont("Courier-Bold", 30)
            canvas.drawCentredString(WIDTH / 2, code_y, code)
            canvas.showPage()
            pages += 1
            if on_progress is not None and pages % every == 0:
                on_progress(DRAWING, pages)
        if on_progress is not None:
            if pages % every:
                on_progress(DRAWING, pages)
            _report_writing(canvas, every, on_progress)
        canvas.save()
        if on_progress is not None:
            on_progress(WRITING, pages)
    return pages


def _report_writing(canvas: Canvas, every: int, on_progress: ProgressCallback) -> None:
    """Have every `every`-th page report when `save()` writes it.

    reportlab writes the pages in order inside `save()` and calls each page's `check_format` as it
    does. This reaches into its page list (`canvas._doc.Pages.pages`); if a reportlab release
    changes that, the writing step reports only its end (the tests notice).
    """
    page_list = getattr(getattr(getattr(canvas, "_doc", None), "Pages", None), "pages", None)
    if not isinstance(page_list, list):
        return
    for number in range(every, len(page_list), every):  # the last page reports after save()
        page = page_list[number - 1]

        def check_format(document, _original=page.check_format, _number=number) -> None:
            _original(document)
            on_progress(WRITING, _number)

        page.check_format = check_format
