/* replylint report: charts (Chart.js, inlined) and sortable tables. No network access. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var root = document.documentElement;

  function num(x) { return x === null || x === undefined ? NaN : Number(x); }

  // ---- sortable tables ------------------------------------------------------------------------
  function cellValue(row, idx) {
    var cell = row.cells[idx];
    if (!cell) return "";
    var v = cell.getAttribute("data-value");
    if (v !== null && v !== "" && !isNaN(Number(v))) return Number(v);
    return (v !== null ? v : cell.textContent).trim().toLowerCase();
  }
  function sortTable(table, idx, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, idx), y = cellValue(b, idx);
      var r;
      if (typeof x === "number" && typeof y === "number") r = x - y;
      else if (typeof x === "number") r = -1;
      else if (typeof y === "number") r = 1;
      else r = x < y ? -1 : x > y ? 1 : 0;
      return dir === "asc" ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === idx) th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    table.setAttribute("data-sorted", idx + ":" + dir);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.setAttribute("tabindex", "0");
      function go() {
        var cur = th.getAttribute("aria-sort");
        // numbers first sort descending (largest first), text ascending
        var first = th.classList.contains("num") ? "desc" : "asc";
        var dir = cur ? (cur === "ascending" ? "desc" : "asc") : first;
        sortTable(table, i, dir);
      }
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
  });
  // A link can carry a sort: report.html#sort=table-group-agent:5:asc
  var m = /sort=([\w-]+):(\d+):(asc|desc)/.exec(location.hash || "");
  if (m) {
    var t = document.getElementById(m[1]);
    if (t) sortTable(t, Number(m[2]), m[3]);
  }

  // ---- charts -----------------------------------------------------------------------------------
  if (typeof Chart === "undefined") { root.setAttribute("data-rendered", "no-chart-library"); return; }
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1d2433";
  Chart.defaults.maintainAspectRatio = false;

  function mark(canvas, chart, values) {
    canvas.setAttribute("data-chart-values", values.join(","));
    canvas.setAttribute("data-chart-labels", chart.data.labels.join("|"));
    canvas.setAttribute("data-rendered", chart.chartArea && chart.chartArea.width > 0 ? "true" : "false");
  }

  var cats = data.categories.filter(function (c) { return c.findings > 0; });
  var catCanvas = document.getElementById("chart-categories");
  if (catCanvas && cats.length) {
    // one bar per category, every label shown
    catCanvas.parentNode.style.height = (cats.length * 26 + 70) + "px";
    var catValues = cats.map(function (c) { return num(c.findings_per_100); });
    var catChart = new Chart(catCanvas, {
      type: "bar",
      data: {
        labels: cats.map(function (c) { return c.label; }),
        datasets: [{ label: data.labels.per_100, data: catValues, backgroundColor: "#2f5fd0", borderRadius: 3 }]
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false },
                   tooltip: { callbacks: { afterLabel: function (ctx) {
                     var c = cats[ctx.dataIndex];
                     return data.labels.findings + ": " + c.findings + " · " + data.labels.replies + ": " + c.replies;
                   } } } },
        scales: { x: { beginAtZero: true, title: { display: true, text: data.labels.per_100 } },
                  y: { ticks: { autoSkip: false } } }
      }
    });
    mark(catCanvas, catChart, catValues);
  } else if (catCanvas) {
    catCanvas.parentNode.style.display = "none";
  }

  var trendCanvas = document.getElementById("chart-trend");
  if (trendCanvas && data.trend.points.length) {
    var pts = data.trend.points;
    var scores = pts.map(function (p) { return num(p.score); });
    var per100 = pts.map(function (p) { return num(p.findings_per_100); });
    var trendChart = new Chart(trendCanvas, {
      data: {
        labels: pts.map(function (p) { return p.period; }),
        datasets: [
          { type: "line", label: data.labels.score, data: scores, yAxisID: "score", borderColor: "#1e8449",
            backgroundColor: "#1e8449", tension: 0.2 },
          { type: "bar", label: data.labels.per_100, data: per100, yAxisID: "per100",
            backgroundColor: "rgba(47,95,208,.35)" }
        ]
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          score: { position: "left", min: 0, max: 100, title: { display: true, text: data.labels.score } },
          per100: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                    title: { display: true, text: data.labels.per_100 } }
        }
      }
    });
    mark(trendCanvas, trendChart, scores);
  }
  root.setAttribute("data-rendered", "true");
})();
