/* Draws the training dashboards' charts from the JSON the page embeds (Chart.js, vendored):
   grouped bars, one dataset per series. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#1f4e8c", "#1e7a3c", "#9a6700", "#6b3fa0", "#0f7b8a", "#5b6575"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: window.qiaoChartLabels(chart.labels, canvas),
        datasets: chart.datasets.map(function (set, i) {
          return { label: set.label, data: set.values, backgroundColor: palette[i % palette.length] };
        }),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: canvas.dataset.max ? Number(canvas.dataset.max) : undefined,
            ticks: { precision: 0 },
          },
        },
      },
    });
    canvas.dataset.rendered = "true";
  });
})();
