// A small SVG line chart: series of (x, y) points on a shared x axis, each series scaled to its own y range.
"use strict";
window.LineChart = class LineChart {
  constructor(svg) {
    this.svg = svg;
    this.series = new Map();
    this.colors = ["#0b62c4", "#c4320b", "#18794e", "#8a6d00"];
  }
  clear() { this.series.clear(); this.draw(); }
  add(name, x, y) {
    if (y === null || !Number.isFinite(y)) return;
    if (!this.series.has(name)) this.series.set(name, []);
    this.series.get(name).push([x, y]);
  }
  pointCount() { let n = 0; for (const s of this.series.values()) n += s.length; return n; }
  draw() {
    const W = 640, H = 260, L = 40, R = 110, T = 10, B = 25;
    const all = [...this.series.values()].flat();
    const ns = "http://www.w3.org/2000/svg";
    this.svg.replaceChildren();
    this.svg.dataset.points = String(all.length);
    if (all.length === 0) return;
    const xmin = Math.min(...all.map(p => p[0])), xmax = Math.max(...all.map(p => p[0]), xmin + 1);
    const axis = document.createElementNS(ns, "path");
    axis.setAttribute("d", `M${L},${T} V${H - B} H${W - R}`);
    axis.setAttribute("stroke", "#999"); axis.setAttribute("fill", "none");
    this.svg.appendChild(axis);
    let i = 0;
    for (const [name, points] of this.series) {
      const ymin = Math.min(...points.map(p => p[1])), ymax = Math.max(...points.map(p => p[1]), ymin + 1e-9);
      const sx = x => L + (x - xmin) / (xmax - xmin) * (W - L - R);
      const sy = y => H - B - (y - ymin) / (ymax - ymin) * (H - T - B);
      const line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", points.map(p => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" "));
      line.setAttribute("fill", "none"); line.setAttribute("stroke", this.colors[i % this.colors.length]); line.setAttribute("stroke-width", "1.5");
      line.dataset.series = name;
      this.svg.appendChild(line);
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", W - R + 6); label.setAttribute("y", T + 14 + 16 * i);
      label.setAttribute("fill", this.colors[i % this.colors.length]); label.setAttribute("font-size", "12");
      label.textContent = `${name} ${points[points.length - 1][1].toFixed(3)}`;
      this.svg.appendChild(label);
      i++;
    }
    const xlabel = document.createElementNS(ns, "text");
    xlabel.setAttribute("x", L); xlabel.setAttribute("y", H - 6); xlabel.setAttribute("font-size", "11");
    xlabel.textContent = `step ${xmin} – ${xmax}`;
    this.svg.appendChild(xlabel);
  }
};
