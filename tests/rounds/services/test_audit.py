"""Every state change of the decision chain leaves an audit entry: who, what, when, old and new value."""

from django.core import mail

from rounds.models import AuditEntry
from rounds.services.accountability import decision_record, implementation_update_post
from rounds.services.assessments import proposal_assess, statement_add
from rounds.services.proposals import proposal_submit, round_shortlist
from rounds.services.supports import support_give
from tests.rounds.helpers import advance_to, citizen, new_round, staff


def test_the_koeln_chain_is_audited_and_the_author_hears_of_every_step(
    aarhus, django_capture_on_commit_callbacks, celery_eager
):
    pb_round = new_round("koeln", {"favourites_per_theme": 1}, themes=["Klima"])
    worker = staff()
    advance_to(pb_round, "ideas", actor=worker)
    author = citizen("stiller", email="stiller@example.invalid")
    proposal = proposal_submit(
        pb_round=pb_round, author=author, author_name="Stiller", title="Solceller", description="På skolen",
        cost=100_000, theme=pb_round.themes.get(),
    )  # fmt: skip
    support_give(proposal=proposal, user=citizen(), value=1)
    with django_capture_on_commit_callbacks(execute=True):
        advance_to(pb_round, "shortlist", actor=worker)
        round_shortlist(pb_round=pb_round, actor=worker)
        advance_to(pb_round, "assessment", actor=worker)
        proposal_assess(
            proposal=proposal, actor=worker, department="Teknik", outcome="changed", revised_cost=90_000
        )
        advance_to(pb_round, "statements", actor=worker)
        statement_add(proposal=proposal, actor=worker, body_name="Klimaudvalget", text="Anbefales.")
        advance_to(pb_round, "decision", actor=worker)
        decision_record(
            proposal=proposal,
            outcome="adopted",
            amount=90_000,
            reason="Godt forslag.",
            decided_by="Byrådet",
            actor=worker,
        )
        advance_to(pb_round, "implementation", actor=worker)
        implementation_update_post(
            proposal=proposal, status="in_progress", progress=50, text="Halvvejs.", actor=worker
        )

    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    for action in ("round_create", "phase_open", "phase_close", "proposal_submit", "support_give", "round_shortlist",
                   "proposal_assess", "statement_add", "decision_record", "implementation_update"):  # fmt: skip
        assert action in actions
    assessed = AuditEntry.objects.get(action="proposal_assess")
    assert assessed.actor == worker and assessed.actor_label == worker.username
    assert assessed.old_value == {"status": "shortlisted"}
    assert assessed.new_value["status"] == "changed" and assessed.new_value["revised_cost"] == 90_000
    assert assessed.object_type == "proposal" and assessed.object_id == str(proposal.pk)
    decided = AuditEntry.objects.get(action="decision_record")
    assert (decided.old_value, decided.new_value["status"]) == ({"status": "changed"}, "adopted")

    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Dit forslag “Solceller” er blevet vurderet",
        "En udtalelse om dit forslag “Solceller”",
        "Beslutningen om dit forslag “Solceller”",
        "Nyt om dit forslag “Solceller”",
    ]
    assert all(m.to == ["stiller@example.invalid"] for m in mail.outbox)
    assert "Klimaudvalget har afgivet en udtalelse" in mail.outbox[1].body
    assert "Byrådet har truffet beslutning om dit forslag “Solceller”: Vedtaget." in mail.outbox[2].body
    assert "I gang (50 %)" in mail.outbox[3].body
