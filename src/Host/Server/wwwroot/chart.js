// A small line chart on a canvas: series of [x, y] points, linear axes fitted to the data, a legend.
// The canvas's data-points attribute counts the points drawn (what the browser test watches).
"use strict";
const ConduitChart = (() => {
  const colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f"];

  function draw(canvas, series) {
    const g = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, left = 48, right = 12, top = 12, bottom = 28;
    g.clearRect(0, 0, w, h);
    const points = series.flatMap(s => s.points);
    canvas.dataset.points = String(points.length);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#6b7280";
    if (points.length === 0) {
      g.fillText("no data yet", left, top + 14);
      return;
    }
    let [x0, x1] = extent(points.map(p => p[0]));
    let [y0, y1] = extent(points.map(p => p[1]));
    const sx = x => left + (x - x0) / (x1 - x0) * (w - left - right);
    const sy = y => h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom);
    g.strokeStyle = "#d1d5db";
    g.beginPath(); g.moveTo(left, top); g.lineTo(left, h - bottom); g.lineTo(w - right, h - bottom); g.stroke();
    for (let i = 0; i <= 4; i++) {
      const y = y0 + (y1 - y0) * i / 4, x = x0 + (x1 - x0) * i / 4;
      g.fillText(format(y), 2, sy(y) + 4);
      g.fillText(format(x), sx(x) - 8, h - 10);
    }
    series.forEach((s, i) => {
      g.strokeStyle = g.fillStyle = s.color || colors[i % colors.length];
      if (s.dots) {
        // A scatter: each point a dot, no line between unrelated trials.
        s.points.forEach(p => g.fillRect(sx(p[0]) - 3, sy(p[1]) - 3, 6, 6));
      } else {
        g.beginPath();
        s.points.forEach((p, j) => j === 0 ? g.moveTo(sx(p[0]), sy(p[1])) : g.lineTo(sx(p[0]), sy(p[1])));
        g.stroke();
        if (s.points.length === 1) g.fillRect(sx(s.points[0][0]) - 2, sy(s.points[0][1]) - 2, 4, 4);
      }
      g.fillText(s.name, w - right - 160, top + 12 + i * 14);
    });
  }

  function extent(values) {
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) { lo -= 1; hi += 1; }
    return [lo, hi];
  }

  function format(v) {
    return Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
  }

  return { draw, colors };
})();
