// The sweeps view: every sweep, and the selected one's trials table (best first), best so far, every trial's
// learning curve and the metric against a chosen parameter, refreshed while it runs.
"use strict";
let selectedSweep = null;

async function refreshSweeps() {
  const sweeps = await api("/api/sweeps");
  $("sweeps").tBodies[0].replaceChildren(...sweeps.map(s => {
    const tr = document.createElement("tr");
    if (s.id === selectedSweep) tr.className = "selected";
    tr.append(cell(s.id), cell(s.status, "status-" + s.status), cell(String(s.trials)), cell(String(s.running)), cell(new Date(s.createdAt).toLocaleTimeString()));
    const actions = document.createElement("td");
    const show = Object.assign(document.createElement("button"), { textContent: "show", onclick: () => { selectedSweep = s.id; refreshSweeps(); } });
    actions.append(show);
    if (s.status === "running") {
      const cancel = Object.assign(document.createElement("button"), { textContent: "cancel" });
      cancel.onclick = () => api("/api/sweeps/" + s.id, { method: "DELETE" }).then(refreshSweeps);
      actions.append(" ", cancel);
    }
    tr.append(actions);
    return tr;
  }));
  if (selectedSweep) await showSweep(selectedSweep);
}

function value(v) {
  return typeof v === "number" && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : JSON.stringify(v);
}

async function showSweep(id) {
  const [sweep, curves] = await Promise.all([api("/api/sweeps/" + id), api("/api/sweeps/" + id + "/curves")]);
  $("sweep-view").hidden = false;
  $("sweep-id").textContent = `${sweep.id} (${sweep.method}, ${sweep.goal} ${sweep.metric})`;
  $("sweep-best").textContent = sweep.best
    ? `best so far: trial ${sweep.best.trial}, ${sweep.metric} ${sweep.best.metric.toFixed(4)}`
    : "no trial completed yet";
  $("sweep-trials").tBodies[0].replaceChildren(...sweep.trials.map(t => {
    const tr = document.createElement("tr");
    const parameters = Object.entries(t.parameters).map(([k, v]) => `${k}=${value(v)}`).join(", ");
    tr.append(cell(String(t.trial)), cell(parameters), cell(t.metric == null ? "" : t.metric.toFixed(4)), cell(t.status, "status-" + t.status),
      cell(String(t.epochs)), cell(t.reason));
    return tr;
  }));
  ConduitChart.draw($("sweep-curves"), curves.map(c => ({ name: "t" + c.trial, points: c.points.map(p => [p.epoch, p.value]) })));
  const select = $("sweep-parameter");
  const names = sweep.trials.length ? Object.keys(sweep.trials[0].parameters) : [];
  const chosen = names.includes(select.value) ? select.value : names[0];
  select.replaceChildren(...names.map(n => Object.assign(document.createElement("option"), { value: n, textContent: sweep.metric + " against " + n, selected: n === chosen })));
  // Lists (hidden sizes) are placed by their order of first appearance; numbers by value.
  const order = [];
  const x = v => typeof v === "number" ? v : (order.includes(JSON.stringify(v)) ? 0 : order.push(JSON.stringify(v)), order.indexOf(JSON.stringify(v)));
  const measured = sweep.trials.filter(t => t.metric != null);
  ConduitChart.draw($("sweep-scatter"), ["completed", "pruned"].map(status => ({
    name: status, dots: true, points: measured.filter(t => t.status === status).map(t => [x(t.parameters[chosen]), t.metric]),
  })));
}
$("sweep-parameter").onchange = () => selectedSweep && showSweep(selectedSweep);

refreshSweeps();
setInterval(refreshSweeps, 3000);
