// The console's progress page: polls the task's JSON status every second and moves the <progress>
// bar; when the task is done it goes on to the round, or, when it made a file (the voting-code
// letters), shows the file's download link and stays. Without this script the page still shows
// the state it was rendered with, and a reload shows the newest.
(function () {
  var box = document.getElementById("task");
  if (!box) return;
  var script = document.currentScript;
  var bar = document.getElementById("task-bar");
  var percent = document.getElementById("task-percent");
  var step = document.getElementById("task-step");
  var error = document.getElementById("task-error");
  var done = document.getElementById("task-done");
  var download = document.getElementById("task-download");

  function show(task) {
    bar.max = task.total;
    bar.value = task.done;
    bar.textContent = task.percent + " %";
    percent.textContent = task.percent + " %";
    if (task.state === "done") step.textContent = script.dataset.done;
    else if (task.state === "failed") step.textContent = script.dataset.failed;
    else if (task.state === "queued") step.textContent = script.dataset.queued;
    else step.textContent = task.step + "…";
    if (task.error) {
      error.firstElementChild.textContent = task.error;
      error.hidden = false;
    }
    if (task.url) {
      done.firstElementChild.href = task.url;
      if (task.url_label) done.firstElementChild.textContent = task.url_label;
      done.hidden = false;
    }
    if (task.download) {
      download.firstElementChild.href = task.download;
      download.hidden = false;
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (task) {
        show(task);
        if (task.state === "done" && task.url && !task.download) window.setTimeout(function () { window.location.assign(task.url); }, 1000);
        else if (task.state !== "failed") window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
