// Participation charts in the admin console: one bar chart per table, from the JSON the page
// embeds. The tables next to them hold the same numbers, so nothing depends on this script.
(function () {
  if (typeof Chart === "undefined") return;
  var brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#1f4e79";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById("chart-" + canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.counts.length) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: canvas.dataset.label, data: data.counts, backgroundColor: brand }] },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
