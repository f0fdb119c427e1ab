// Draws the dashboard's charts from the numbers embedded with json_script.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var colour = "#b3261e";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var section = data[canvas.dataset.chart];
    if (!section || !window.Chart) { return; }
    var horizontal = Boolean(canvas.dataset.horizontal);
    var labels = window.qiaoChartLabels(section.labels, canvas);
    // Every stage or reason is named: wrapped labels fit, and a skipped one reads as missing.
    var categories = { beginAtZero: true, ticks: { autoSkip: false } };
    var values = { beginAtZero: true };
    var width = canvas.parentElement.clientWidth;
    var height = horizontal ? window.qiaoBarsHeight(labels) : width * 0.7;
    new window.Chart(canvas, {
      type: canvas.dataset.type || "bar",
      data: {
        labels: labels,
        datasets: [{ label: canvas.getAttribute("aria-label"), data: section.values, backgroundColor: colour }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        aspectRatio: width / height,
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: values, y: categories } : { x: categories, y: values },
      },
    });
    canvas.dataset.rendered = "true";
  });
})();
