// Draws the results chart from the JSON the page embeds; the table below it shows the same data.
(function () {
  var data = document.getElementById("results-data");
  var canvas = document.getElementById("results-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  var results = JSON.parse(data.textContent);
  var brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#1f4e79";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: results.labels,
      datasets: [{
        label: canvas.dataset.label,
        data: results.scores,
        backgroundColor: results.selected.map(function (s) { return s ? brand : "#9aa5b1"; }),
      }],
    },
    options: {
      indexAxis: "y",
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
