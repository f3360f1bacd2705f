"""Long operations as Celery tasks: importing a round from a `.pb` file, and the progress page that
follows any console task (rounds.console.progress) through a small JSON endpoint."""

from __future__ import annotations

import uuid

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rounds.console import progress
from rounds.console.forms import PbImportForm
from rounds.console.roles import TENANT_ADMIN, role_required
from rounds.tasks import result_record_task, round_import_pb_task

KIND_LABELS = {
    "import_pb": gettext_lazy("Importing a round from a .pb file"),
    "tally": gettext_lazy("Computing the result"),
}
STEP_LABELS = {
    "": "",
    "reading": gettext_lazy("Reading the file"),
    "importing": gettext_lazy("Creating the round, its proposals, ballots and result"),
    "tallying": gettext_lazy("Counting the ballots with the round's rule"),
}
# Steps per kind of task: the progress bar's maximum.
STEPS = {"import_pb": 2, "tally": 1}


def task_queue(task, *, kind: str, slug: str = "", args: tuple = (), kwargs: dict | None = None) -> str:
    """Record the task as queued, then queue it; returns its id. Eager Celery runs it right here."""
    task_id = str(uuid.uuid4())
    progress.progress_start(task_id, kind=kind, total=STEPS[kind], slug=slug)
    task.apply_async(args=args, kwargs=kwargs or {}, task_id=task_id)
    return task_id


def failure_text(state: dict) -> str:
    return state["error"] or _("The task failed unexpectedly; the server log has the details.")


@role_required(TENANT_ADMIN)
@require_http_methods(["GET", "POST"])
def import_round(request):
    """A round from a finished vote in a `.pb` file, imported by a Celery task."""
    form = PbImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        task_id = task_queue(
            round_import_pb_task,
            kind="import_pb",
            args=(data["file"], data["slug"]),
            kwargs={"title": data["title"], "actor_id": request.user.pk},
        )
        state = progress.progress_get(task_id)
        if state and state["state"] == progress.FAILED:  # eager Celery: the import already refused
            form.add_error("file", failure_text(state))
        else:
            return redirect("console:task_progress", task_id=task_id)
    return render(request, "console/import_pb.html", {"form": form}, status=400 if form.errors else 200)


def _state(task_id: str) -> dict:
    state = progress.progress_get(task_id)
    if state is None:
        raise Http404
    total = max(state["total"], 1)
    done_url = reverse("console:round", kwargs={"slug": state["slug"]}) if state["slug"] else ""
    return {
        "state": state["state"],
        "done": min(state["done"], total),
        "total": total,
        "percent": round(100 * min(state["done"], total) / total),
        "title": str(KIND_LABELS.get(state["kind"], "")),
        "step": str(STEP_LABELS.get(state["step"], state["step"])),
        "error": failure_text(state) if state["state"] == progress.FAILED else "",
        "url": done_url if state["state"] == progress.DONE else "",
    }


@role_required(TENANT_ADMIN)
def task_progress(request, task_id: str):
    return render(request, "console/task_progress.html", {"task": _state(task_id), "task_id": task_id})


@role_required(TENANT_ADMIN)
def task_progress_json(request, task_id: str):
    return JsonResponse(_state(task_id))


def tally_queue(request, pb_round) -> tuple[str, dict]:
    """The console's "compute and publish the result" as a task: its id and its progress so far."""
    task_id = task_queue(
        result_record_task,
        kind="tally",
        slug=pb_round.slug,
        args=(pb_round.pk,),
        kwargs={"actor_id": request.user.pk},
    )
    return task_id, progress.progress_get(task_id)
