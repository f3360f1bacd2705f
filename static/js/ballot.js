// Progressive enhancement of the ballot: a live budget meter (knapsack), a counter (approval) or
// the points left (cumulative). The server checks every ballot; this only helps while choosing.
(function () {
  var form = document.querySelector("form[data-ballot]");
  var meter = document.getElementById("ballot-meter");
  if (!form || !meter) return;
  var kind = form.dataset.ballot;
  var limit = parseInt(form.dataset.limit || "0", 10);
  var most = parseInt(form.dataset.most || "0", 10);
  var points = parseInt(form.dataset.points || "0", 10);
  var kr = function (n) { return n.toLocaleString("da-DK") + " kr."; };
  var text = JSON.parse(document.getElementById("ballot-texts").textContent);

  function update() {
    var message, over = false;
    if (kind === "cumulative") {
      var used = 0;
      form.querySelectorAll("input[type=number]").forEach(function (i) { used += parseInt(i.value || "0", 10) || 0; });
      over = used > points;
      message = text.points_left.replace("%(left)s", points - used);
    } else {
      var checked = form.querySelectorAll("input[type=checkbox]:checked");
      if (kind === "knapsack") {
        var total = 0;
        checked.forEach(function (c) { total += parseInt(c.dataset.cost, 10); });
        over = total > limit;
        message = text.budget.replace("%(used)s", kr(total)).replace("%(limit)s", kr(limit));
        var bar = document.getElementById("ballot-bar");
        if (bar) { bar.max = limit; bar.value = Math.min(total, limit); }
      } else {
        over = most > 0 && checked.length > most;
        message = most > 0 ? text.chosen_of.replace("%(n)s", checked.length).replace("%(most)s", most)
                           : text.chosen.replace("%(n)s", checked.length);
      }
    }
    meter.textContent = message + (over ? " " + text.over : "");
    meter.classList.toggle("over", over);
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  meter.hidden = false;
  update();
})();
