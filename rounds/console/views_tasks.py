"""Long operations as Celery tasks: importing a round from a `.pb` file, and the progress page that
follows any console task (rounds.console.progress) through a small JSON endpoint. The voting-code
letters task is started from the codes page (rounds/views_codes.py) and followed here too."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rounds.console import progress
from rounds.console.forms import PbImportForm
from rounds.console.roles import TENANT_ADMIN, role_required, user_roles
from rounds.tasks import result_record_task, round_import_pb_task

KIND_LABELS = {
    "import_pb": gettext_lazy("Importing a round from a .pb file"),
    "tally": gettext_lazy("Computing the result"),
    "letters": gettext_lazy("Making voting codes and their letters"),
}
STEP_LABELS = {
    "": "",
    "reading": gettext_lazy("Reading the file"),
    "importing": gettext_lazy("Creating the round, its proposals, ballots and result"),
    "ballots": gettext_lazy("Storing the ballots"),
    "tallying": gettext_lazy("Counting the ballots with the round's rule"),
    "codes": gettext_lazy("Creating the codes"),
    "drawing": gettext_lazy("Drawing the letters"),
    "writing": gettext_lazy("Writing the PDF file"),
}
# Steps per kind of task: the progress bar's maximum, unless the caller knows better.
STEPS = {"import_pb": 2, "tally": 1}
LETTERS = "letters"
# Who may make voting codes (rounds/views_codes.py) may follow the letters task they started.
CODES_PERMISSION = "rounds.add_votingcodebatch"


def task_queue(
    task,
    *,
    kind: str,
    slug: str = "",
    total: int | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
) -> str:
    """Record the task as queued, then queue it; returns its id. Eager Celery runs it right here."""
    task_id = str(uuid.uuid4())
    progress.progress_start(task_id, kind=kind, total=total or STEPS[kind], slug=slug)
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


def _links(state: dict) -> tuple[str, str, str]:
    """Where a finished task leads: the page, its link's text and a file to download."""
    if state["kind"] == LETTERS and state.get("batch"):
        kwargs = {"slug": state["slug"], "pk": state["batch"]}
        page = reverse("rounds:code_batches", kwargs={"slug": state["slug"]}) + f"#batch-{state['batch']}"
        return page, _("Go to the voting codes"), reverse("rounds:code_letters_download", kwargs=kwargs)
    if state["slug"]:
        return reverse("console:round", kwargs={"slug": state["slug"]}), _("Go to the round"), ""
    return "", "", ""


def _step_text(state: dict) -> str:
    label = str(STEP_LABELS.get(state["step"], state["step"]))
    if not state.get("count"):  # the task did not say how far this step is
        return label
    done, size = state["count"]
    return _("%(step)s: %(done)s of %(total)s") % {
        "step": label,
        "done": number_format(done, force_grouping=True),
        "total": number_format(size, force_grouping=True),
    }


def _state(task_id: str) -> dict:
    state = progress.progress_get(task_id)
    if state is None:
        raise Http404
    total = max(state["total"], 1)
    url, url_label, download = _links(state) if state["state"] == progress.DONE else ("", "", "")
    return {
        "state": state["state"],
        "done": min(state["done"], total),
        "total": total,
        "percent": round(100 * min(state["done"], total) / total),
        "title": str(KIND_LABELS.get(state["kind"], "")),
        "step": _step_text(state),
        "error": failure_text(state) if state["state"] == progress.FAILED else "",
        "url": url,
        "url_label": url_label,
        "download": download,
    }


def _follower_required(view):
    """Tenant admins follow every task; staff who may make voting codes follow the letters task.

    Like role_required(TENANT_ADMIN) otherwise: anonymous visitors go to the console's login."""

    @wraps(view)
    def wrapped(request, task_id):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        if TENANT_ADMIN not in user_roles(user):
            state = progress.progress_get(str(task_id)) or {}
            if not (state.get("kind") == LETTERS and user.is_staff and user.has_perm(CODES_PERMISSION)):
                raise PermissionDenied
        return view(request, task_id)

    wrapped.console_roles = frozenset({TENANT_ADMIN})
    return wrapped


@_follower_required
def task_progress(request, task_id: str):
    return render(request, "console/task_progress.html", {"task": _state(task_id), "task_id": task_id})


@_follower_required
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
