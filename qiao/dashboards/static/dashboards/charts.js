// Draws the dashboard's charts from the numbers embedded with json_script.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var colour = "#b3261e";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var section = data[canvas.dataset.chart];
    if (!section || !window.Chart) { return; }
    new window.Chart(canvas, {
      type: canvas.dataset.type || "bar",
      data: {
        labels: window.qiaoChartLabels(section.labels, canvas),
        datasets: [{ label: canvas.getAttribute("aria-label"), data: section.values, backgroundColor: colour }],
      },
      options: {
        indexAxis: canvas.dataset.horizontal ? "y" : "x",
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
      },
    });
    canvas.dataset.rendered = "true";
  });
})();
