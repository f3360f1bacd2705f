// Participation charts in the admin console: one bar chart per table, from the JSON the page
// embeds ({labels, datasets: [{label, data}], stacked}). The tables next to them hold the same
// numbers, so nothing depends on this script.
(function () {
  if (typeof Chart === "undefined") return;
  var brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#1f4e79";
  // The brand colour first, then colours that stay apart for the common colour-vision deficiencies.
  var colours = [brand, "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById("chart-" + canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) return;
    var datasets = data.datasets.map(function (set, i) {
      return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: { stacked: data.stacked },
          y: { stacked: data.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
