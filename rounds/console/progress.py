"""Progress of a long console operation (a Celery task), kept in the cache under the task's id.

The cache's keys carry the municipality's schema (django_tenants.cache.make_key), so a task id
from one municipality reads nothing in another. The task writes, the console's progress page
reads through a small JSON endpoint. With eager Celery (no REDIS_URL) the task has finished
before the page is first shown.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

TIMEOUT = 24 * 60 * 60  # a day: long enough to come back to, short enough to forget
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def _key(task_id: str) -> str:
    return f"console-task:{task_id}"


def progress_start(task_id: str, *, kind: str, total: int, slug: str = "") -> None:
    """Before the task is queued: the page has something to show at once."""
    cache.set(
        _key(task_id),
        {"kind": kind, "state": QUEUED, "done": 0, "total": total, "step": "", "slug": slug, "error": ""},
        TIMEOUT,
    )


def progress_get(task_id: str) -> dict[str, Any] | None:
    return cache.get(_key(task_id))


def _update(task_id: str, **changes: Any) -> None:
    current = progress_get(task_id) or {
        "kind": "",
        "total": 1,
        "slug": "",
        "error": "",
        "step": "",
        "done": 0,
    }
    current.update(changes)
    cache.set(_key(task_id), current, TIMEOUT)


def progress_step(
    task_id: str, *, done: int, step: str, total: int | None = None, count: tuple[int, int] | None = None
) -> None:
    """`total` only when the task knows it better than whoever queued it; `count` is how far the
    step itself is (e.g. 5,000 of 90,494 ballots stored), shown next to the step's name."""
    changes: dict[str, Any] = {"state": RUNNING, "done": done, "step": step, "count": count}
    if total is not None:
        changes["total"] = total
    _update(task_id, **changes)


def progress_done(task_id: str, *, slug: str, **results: Any) -> None:
    """`results` are what the progress page links to, e.g. `batch=<id>` for a batch's letters."""
    current = progress_get(task_id) or {}
    _update(task_id, state=DONE, done=current.get("total", 1), step="", count=None, slug=slug, **results)


def progress_failed(task_id: str, *, error: str) -> None:
    _update(task_id, state=FAILED, error=error)
