/* Draws the dashboard's charts from the JSON the page embeds (Chart.js, vendored). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var palette = ["#b3261e", "#1f4e8c", "#1e7a3c", "#9a6700", "#6b3fa0", "#0f7b8a", "#5b6575"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var table = data[canvas.dataset.chart];
    if (!table || !window.Chart) { return; }
    var kind = canvas.dataset.kind || "bar";
    var horizontal = Boolean(canvas.dataset.horizontal);
    var labels = kind === "doughnut" ? table.labels : window.qiaoChartLabels(table.labels, canvas);
    if (horizontal) {
      // Every province or chain is named (autoSkip off): the box grows to fit them.
      canvas.parentElement.style.height = window.qiaoBarsHeight(labels) + "px";
    }
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: labels,
        datasets: [{
          data: table.values,
          backgroundColor: kind === "doughnut" ? palette : palette[0],
        }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { y: { ticks: { autoSkip: false } } } : {},
        plugins: {
          legend: {
            display: kind === "doughnut",
            labels: {
              generateLabels: function (chart) {
                var items = window.Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart);
                return items.map(function (item) {
                  return Object.assign(item, { text: window.qiaoLegendLabel(item.text, canvas) });
                });
              },
            },
          },
        },
        responsive: true,
        maintainAspectRatio: false,
      },
    });
  });
})();
