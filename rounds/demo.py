"""Build the demo rounds through the real services, phase by phase, so every rule is honoured.

Each demo round is created from its preset, its schedule is moved so that its target phase is
open today, and at each phase the walker does what the phase allows (proposals, supports,
assessments, decisions...). Deterministic: the random numbers are seeded by the round's slug.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from models_catalogue.base import Action, Proposers, SupportKind
from rounds import selectors
from rounds.console.roles import CASE_WORKER, MODERATOR, VOTING_DAY
from rounds.demo_data import DEMO_ROUNDS, DemoRound
from rounds.models import ChecklistItem, Phase, Proposal, Round
from rounds.rules import phase_spec
from rounds.services.accountability import decision_record, evaluation_publish, implementation_update_post
from rounds.services.areas import area_application_decide, area_application_submit
from rounds.services.assessments import proposal_assess, statement_add
from rounds.services.participation import delegate_choose, meeting_create, meeting_sign_up
from rounds.services.proposals import comment_add, proposal_submit, round_shortlist
from rounds.services.results import result_record
from rounds.services.rounds import round_advance_phase, round_create_from_preset
from rounds.services.staff import staff_roles_set
from rounds.services.supports import support_give

CITIZENS = 40
FIRST_NAMES = ("Mette", "Lars", "Aisha", "Jens", "Sofie", "Ali", "Karen", "Mads", "Fatima", "Ole")


def demo_citizens() -> list:
    user_model = get_user_model()
    citizens = []
    for i in range(1, CITIZENS + 1):
        user, created = user_model.objects.get_or_create(
            username=f"borger{i:02d}", defaults={"first_name": FIRST_NAMES[i % len(FIRST_NAMES)]}
        )
        if created:
            user.email = f"borger{i:02d}@example.invalid"
            user.set_unusable_password()
            user.save()
        citizens.append(user)
    return citizens


# Console staff of every demo municipality, one per role that is not the admin (development only).
STAFF_PASSWORD = "demo-staff"
DEMO_STAFF = (
    ("sagsbehandler", CASE_WORKER, "Teknik og Miljø"),
    ("moderator", MODERATOR, ""),
    ("valgdag", VOTING_DAY, ""),
)


def demo_staff_ensure() -> list:
    """The demo's case worker (Teknik og Miljø), moderator and voting-day staff; idempotent."""
    user_model = get_user_model()
    staff = []
    for username, role, department in DEMO_STAFF:
        user, _created = user_model.objects.get_or_create(username=username)
        user.set_password(STAFF_PASSWORD)
        user.save()
        staff_roles_set(user=user, roles=[role], departments=[department] if department else [], actor=None)
        staff.append(user)
    return staff


def demo_rounds_seed(municipality_code: str, log=print) -> list[Round]:
    """Create the municipality's demo rounds that do not exist yet. Idempotent."""
    citizens = demo_citizens()
    created = []
    for spec in DEMO_ROUNDS.get(municipality_code, ()):
        if Round.objects.filter(slug=spec.slug).exists():
            continue
        with transaction.atomic():
            created.append(_build(spec, citizens))
        log(f"  round {spec.slug}: now in {spec.until}")
    return created


def _build(spec: DemoRound, citizens: list) -> Round:
    now = timezone.now()
    rng = random.Random(spec.slug)
    pb_round = round_create_from_preset(
        preset_key=spec.preset, starts_at=now, slug=spec.slug, title=spec.title, **spec.overrides
    )
    if spec.areas is not None:
        pb_round.areas.all().delete()
        for name, kind, pot in spec.areas:
            pb_round.areas.create(name=name, kind=kind, pot=pot)
    _reschedule(pb_round, spec.until, now)
    pb_round.is_published = True
    pb_round.save(update_fields=["is_published"])
    walker = _Walker(pb_round, spec, citizens, rng)
    for phase in pb_round.phases.order_by("position"):
        round_advance_phase(pb_round=pb_round, to=phase.kind)
        is_target = phase.kind == spec.until
        for action in sorted(phase_spec(pb_round, phase).allows):
            walker.act(action, partly=is_target)
        if is_target:
            break
    return pb_round


def _reschedule(pb_round: Round, until: str, now: dt.datetime) -> None:
    """Shift the schedule so that `until` opened three days ago and earlier phases lie in the past."""
    phases = list(pb_round.phases.order_by("position"))
    target = next(p for p in phases if p.kind == until)
    shift = (target.starts_at - now) + dt.timedelta(days=3)
    Phase.objects.filter(round=pb_round).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )


class _Walker:
    def __init__(self, pb_round: Round, spec: DemoRound, citizens: list, rng: random.Random) -> None:
        self.round, self.spec, self.citizens, self.rng = pb_round, spec, citizens, rng
        self.rules = pb_round.rules

    def act(self, action: Action, *, partly: bool) -> None:
        handler = getattr(self, f"_{action.value}", None)
        if handler is not None:
            handler(partly)

    def _proposals(self, *statuses):
        return list(self.round.proposals.filter(status__in=statuses).order_by("id"))

    def _propose(self, partly: bool) -> None:
        if self.round.proposals.exists():
            return
        areas = {a.name: a for a in self.round.areas.all()}
        themes = {t.name: t for t in self.round.themes.all()}
        checklist = list(
            self.round.checklist_items.filter(kind=ChecklistItem.Kind.SELF_QUALIFICATION).values_list(
                "id", flat=True
            )
        )
        delegates = [d.user for d in self.round.delegates.exclude(user=None)]
        for i, item in enumerate(self.spec.proposals):
            if self.rules.proposers == Proposers.DELEGATES and delegates:
                author = delegates[i % len(delegates)]
            else:
                author = self.citizens[(i * 7) % len(self.citizens)]
            proposal_submit(
                pb_round=self.round,
                author=author,
                author_name=f"{author.first_name} ({author.username})",
                title=item.title,
                summary=f"{item.title}: et forslag fra borgerne.",
                description=f"{item.title}. Forslaget er udarbejdet af borgere i området og beskriver formål, "
                "målgruppe og budget. Projektet drives af frivillige med støtte fra kommunen.",
                cost=item.cost,
                area=areas.get(item.area) if item.area else None,
                theme=themes.get(item.theme) if item.theme else None,
                checklist_confirmed=checklist,
            )

    def _support(self, partly: bool) -> None:
        if self.rules.supports == SupportKind.NONE:
            return
        against = self.rules.supports == SupportKind.FOR_AGAINST
        for proposal in self._proposals(Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED):
            for citizen in self.rng.sample(self.citizens, self.rng.randint(2, 25)):
                value = -1 if against and self.rng.random() < 0.2 else 1
                support_give(proposal=proposal, user=citizen, value=value)

    def _comment(self, partly: bool) -> None:
        remarks = (
            "Godt initiativ – det mangler vi!",
            "Hvordan skal det vedligeholdes?",
            "Jeg vil gerne hjælpe til.",
        )
        for proposal in self._proposals(Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED)[:4]:
            if not proposal.comments.exists():
                citizen = self.rng.choice(self.citizens)
                comment_add(
                    proposal=proposal,
                    author=citizen,
                    author_name=citizen.first_name,
                    body=self.rng.choice(remarks),
                )

    def _sign_up(self, partly: bool) -> None:
        if self.round.meetings.exists():
            return
        start = timezone.now() + dt.timedelta(days=5)
        for i, (kind, title, location) in enumerate(self.spec.meetings):
            meeting = meeting_create(
                pb_round=self.round, kind=kind, title=title, location=location,
                starts_at=start + dt.timedelta(days=2 * i, hours=17 - 9), capacity=40,
            )  # fmt: skip
            for citizen in self.rng.sample(self.citizens, self.rng.randint(5, 25)):
                meeting_sign_up(meeting=meeting, name=citizen.first_name, email=citizen.email)

    def _choose_delegates(self, partly: bool) -> None:
        for citizen in self.citizens[:3]:
            delegate_choose(pb_round=self.round, name=citizen.first_name, email=citizen.email, user=citizen)

    def _apply(self, partly: bool) -> None:
        for name in self.spec.applications:
            area_application_submit(
                pb_round=self.round,
                applicant=name,
                process_plan=f"{name} holder borgermøde, samler forslag i en måned og afholder lokal afstemning.",
            )

    def _allocate(self, partly: bool) -> None:
        applications = list(self.round.applications.order_by("id"))
        for i, application in enumerate(applications):
            if i < len(self.spec.selected_pots):
                area_application_decide(application=application, select=True, pot=self.spec.selected_pots[i])
            elif not partly:
                area_application_decide(application=application, select=False)

    def _shortlist(self, partly: bool) -> None:
        round_shortlist(pb_round=self.round)

    def _assess(self, partly: bool) -> None:
        waiting = (
            Proposal.Status.SHORTLISTED if self.rules.favourites_per_theme else Proposal.Status.SUBMITTED
        )
        legal = list(self.round.checklist_items.filter(kind=ChecklistItem.Kind.LEGAL))
        failing = {p.title: p.fails_legal for p in self.spec.proposals if p.fails_legal is not None}
        for i, proposal in enumerate(self._proposals(waiting)):
            if partly and i % 2:
                continue
            if proposal.title in failing and legal:
                proposal_assess(
                    proposal=proposal, actor=None, department="Juridisk kontor", outcome="rejected",
                    failed_checks=[legal[failing[proposal.title]]],
                )  # fmt: skip
            elif i % 4 == 3:
                proposal_assess(
                    proposal=proposal, actor=None, department="Teknik og Miljø", outcome="changed",
                    revised_cost=proposal.cost * 9 // 10, public_reason="Kan gennemføres billigere med kommunens materiel.",
                )  # fmt: skip
            else:
                proposal_assess(
                    proposal=proposal, actor=None, department="Teknik og Miljø", outcome="feasible"
                )

    def _state(self, partly: bool) -> None:
        bodies = ("Lokaludvalget", "Kultur- og Borgerserviceudvalget", "Teknisk Udvalg")
        for i, proposal in enumerate(self._proposals(Proposal.Status.FEASIBLE, Proposal.Status.CHANGED)[:3]):
            statement_add(
                proposal=proposal, actor=None, body_name=bodies[i % 3], text="Udvalget anbefaler forslaget."
            )

    def _publish_results(self, partly: bool) -> None:
        if self.rules.has_vote:
            on_ballot = selectors.proposals_with_support(self.round).filter(status=Proposal.Status.ON_BALLOT)
            result_record(
                pb_round=self.round, vote_counts={p.pk: self.rng.randint(10, 120) for p in on_ballot}
            )
        else:
            result_record(pb_round=self.round)

    def _decide(self, partly: bool) -> None:
        candidates = self._proposals(
            Proposal.Status.SELECTED,
            Proposal.Status.FEASIBLE,
            Proposal.Status.CHANGED,
            Proposal.Status.SUBMITTED,
        )
        ranked = sorted(candidates, key=lambda p: -(p.votes or 0))
        for i, proposal in enumerate(ranked[: max(3, len(ranked) // 2)]):
            if partly and i >= 2:
                break
            if i == 2:
                decision_record(
                    proposal=proposal, outcome="rejected", decided_by="Byrådet",
                    reason="Indgår allerede i kommunens anlægsplan for 2027.",
                )  # fmt: skip
            else:
                decision_record(
                    proposal=proposal, outcome="adopted", amount=proposal.current_cost, decided_by="Byrådet",
                    reason="Vedtaget som foreslået af borgerne.",
                )  # fmt: skip

    def _report(self, partly: bool) -> None:
        implementable = (Proposal.Status.ADOPTED, Proposal.Status.ADOPTED_CHANGED, Proposal.Status.SELECTED)
        for i, proposal in enumerate(self._proposals(*implementable)):
            done = i % 3 == 0
            payout = proposal.funded_amount or proposal.current_cost if done else 0
            implementation_update_post(
                proposal=proposal,
                status="done" if done else "in_progress",
                progress=100 if done else 30 + 10 * (i % 5),
                text="Projektet er gennemført og indviet."
                if done
                else "Materialer er bestilt; frivillige er i gang.",
                payout=payout,
                invoice_reference=f"FAK-{proposal.pk:05d}" if payout else "",
            )

    def _evaluate(self, partly: bool) -> None:
        evaluation_publish(
            pb_round=self.round,
            summary="Borgerbudgettet har øget deltagelse og involvering, og borgerne mener, det har været en succes.",
            recommendations="Facilitér processen grundigt, afsæt ressourcer til kommunikation og medarbejdere, lad det "
            "ikke gå for hurtigt, og gør processen kontinuerlig over flere år.",
            made_with="Lokalrådene",
        )
