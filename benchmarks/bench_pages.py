"""Median server time of the citizen site's main pages with 1,000 proposals and 10,000 supports.

Run with `make bench-pages`. It creates a throwaway municipality ("benchby") in the configured
database, measures each page against the same page with 10 proposals (the baseline, in the same
run), prints the figures and removes the municipality again. Timings on a shared machine are
noisy: read the ratios, not the absolute numbers.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from rounds.models import Proposal, Support  # noqa: E402
from rounds.services.results import result_record  # noqa: E402
from rounds.services.rounds import round_advance_phase, round_create_from_preset  # noqa: E402
from tenants.models import Municipality  # noqa: E402
from tenants.provisioning import municipality_discard, municipality_provision  # noqa: E402

REPEAT = 15
PAGES = ("/", "/runder/{slug}/forslag/", "/runder/{slug}/forslag/?sorter=cost&q=P1", "/forslag/{first}/",
         "/runder/{slug}/resultater/", "/runder/{slug}/ansvarlighed/")  # fmt: skip


def build(slug: str, proposals: int, supports: int) -> tuple[str, int]:
    import datetime as dt

    from django.utils import timezone

    pb_round = round_create_from_preset(
        preset_key="kolding_braendkjaer",
        slug=slug,
        starts_at=timezone.now() - dt.timedelta(days=1),
        approval_max=50,
    )
    pb_round.is_published = True
    pb_round.save()
    round_advance_phase(pb_round=pb_round)  # inform
    round_advance_phase(pb_round=pb_round)  # workshops
    round_advance_phase(pb_round=pb_round)  # ideas
    Proposal.objects.bulk_create(
        Proposal(
            round=pb_round,
            author_name=f"Borger {i}",
            title=f"P{i} forslag",
            description="Beskrivelse " * 20,
            cost=1000 + i,
            status="submitted",
        )  # fmt: skip
        for i in range(proposals)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{slug}-u{i}") for i in range(100)
    )
    ids = list(pb_round.proposals.values_list("pk", flat=True))
    # Each user supports distinct proposals: (proposal, user) is unique.
    pairs = {
        (ids[(i * 7 + u) % len(ids)], u) for u in range(len(users)) for i in range(supports // len(users))
    }
    Support.objects.bulk_create(Support(proposal_id=pid, user=users[u], value=1) for pid, u in pairs)
    round_advance_phase(pb_round=pb_round)  # voting
    round_advance_phase(pb_round=pb_round)  # results
    result_record(pb_round=pb_round, vote_counts={pid: (pid % 50) + 1 for pid in ids})
    return pb_round.slug, ids[0]


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm up
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)


def main() -> int:
    call_command("migrate_schemas", "--shared", verbosity=0)
    stale = Municipality.objects.filter(schema_name="benchby").first()
    if stale:
        municipality_discard(stale)
    if Municipality.objects.filter(code="0101").exists():
        print("municipality code 0101 is taken in this database; use another database", file=sys.stderr)
        return 2
    municipality = municipality_provision(name="Benchby Kommune", code="0101", subdomain="benchby")
    try:
        with tenant_context(municipality), override_settings(DEBUG=False):
            print("building 10 proposals (baseline) and 1,000 proposals with 10,000 supports ...", flush=True)
            small = build("lille", 10, 100)
            large = build("stor", 1000, 10_000)
            client = Client(HTTP_HOST="benchby.localhost")
            print(f"{'page':44} {'10 proposals':>13} {'1,000 proposals':>16} {'ratio':>6} {'queries':>8}")
            for page in PAGES:
                base_ms, base_q = measure(client, page.format(slug=small[0], first=small[1]))
                big_ms, big_q = measure(client, page.format(slug=large[0], first=large[1]))
                shown = page.replace("{slug}", "<round>").replace("{first}", "<id>")
                ratio = big_ms / base_ms
                print(f"{shown:44} {base_ms:10.1f} ms {big_ms:13.1f} ms {ratio:6.2f} {base_q:>3}/{big_q:<4}")
    finally:
        connection.set_schema_to_public()
        municipality_discard(Municipality.objects.get(schema_name="benchby"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
