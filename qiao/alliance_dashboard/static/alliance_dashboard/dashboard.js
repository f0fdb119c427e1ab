/* Draws the dashboard's charts from the JSON the page embeds (Chart.js, vendored). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var palette = ["#b3261e", "#1f4e8c", "#1e7a3c", "#9a6700", "#6b3fa0", "#0f7b8a", "#5b6575"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var table = data[canvas.dataset.chart];
    if (!table || !window.Chart) { return; }
    var kind = canvas.dataset.kind || "bar";
    new window.Chart(canvas, {
      type: kind,
      data: {
        // A doughnut's legend draws only single-line labels.
        labels: kind === "doughnut" ? table.labels : window.qiaoChartLabels(table.labels, canvas),
        datasets: [{
          data: table.values,
          backgroundColor: kind === "doughnut" ? palette : palette[0],
        }],
      },
      options: {
        indexAxis: canvas.dataset.horizontal ? "y" : "x",
        plugins: { legend: { display: kind === "doughnut" } },
        responsive: true,
        maintainAspectRatio: false,
      },
    });
  });
})();
