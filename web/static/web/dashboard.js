/* 家政美家: the federation dashboard's charts, drawn by uPlot from the page's JSON block.
   The same numbers are in the table under each chart; without JS the tables stay. */
(function () {
  "use strict";
  var COLOURS = ["#b83268", "#2a7f8f", "#9a5b00"];
  var SHOWN = 2; // signed contracts and served households as grouped bars; all in the tables

  function chart(box, data) {
    var count = data.labels.length;
    var xs = data.labels.map(function (_label, index) { return index; });
    var series = [{}];
    var values = [xs];
    var bars = uPlot.paths.bars;
    data.series.slice(0, SHOWN).forEach(function (one, index) {
      series.push({
        label: one.label,
        stroke: COLOURS[index],
        fill: COLOURS[index] + "cc",
        width: 0,
        paths: bars({ size: [0.38, 40], align: index === 0 ? -1 : 1 }),
        points: { show: false },
      });
      values.push(one.values);
    });
    var long = count > 6;
    box.textContent = "";
    return new uPlot({
      width: Math.max(box.clientWidth - 8, 280),
      height: long ? 300 : 240,
      series: series,
      legend: { live: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.6, Math.max(count - 0.4, 0.4)] },
        y: { range: function (_u, _min, max) { return [0, Math.max(max, 4)]; } },
      },
      axes: [
        {
          splits: function () { return xs; },
          values: function (_u, splits) {
            return splits.map(function (index) { return data.labels[index] || ""; });
          },
          rotate: long ? -60 : 0,
          size: long ? 90 : 40,
          gap: 4,
          font: "12px system-ui, sans-serif",
        },
        {
          font: "12px system-ui, sans-serif",
          size: 44,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000],
        },
      ],
    }, values, box);
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.uPlot) return;
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (data, index) {
      var box = document.querySelector("[data-chart='" + index + "']");
      if (box) box.meijiaChart = chart(box, data);
    });
    document.body.dataset.chartsDrawn = String(charts.length);
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
