// The Conduit dashboard: jobs, a live chart of the selected job fed by its Server-Sent Events, run comparison, plugins.
// Everything goes through the JSON API with the API key (when one is entered) in the X-API-Key header.
"use strict";
const $ = id => document.getElementById(id);
const keyInput = $("api-key");
keyInput.value = localStorage.getItem("conduit-api-key") || "";
keyInput.addEventListener("change", () => { localStorage.setItem("conduit-api-key", keyInput.value); refresh(); });
const headers = extra => Object.assign(keyInput.value ? { "X-API-Key": keyInput.value } : {}, extra || {});

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: headers({ "Content-Type": "application/json" }) }, options || {}));
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error(body?.detail || `${response.status} ${response.statusText}`);
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

$("job-document").value = JSON.stringify({
  name: "dashboard-synthetic",
  data: { source: "synthetic", generator: "classification", rows: 4000, features: 16, classes: 4, seed: 7, batch_size: 32,
          split: { validation: 0.1, test: 0.1, seed: 1 } },
  model: { type: "mlp", hidden: [32], activation: "relu" },
  optimizer: { type: "adam", lr: 0.01 },
  trainer: { max_epochs: 5, seed: 1, accelerator: "cpu" },
  loggers: ["sqlite"]
}, null, 2);

$("start-job").addEventListener("click", async () => {
  try {
    const job = await api("/api/jobs", { method: "POST", body: $("job-document").value });
    $("submit-status").textContent = `accepted: ${job.id}`;
    watch(job.id);
    refreshJobs();
  } catch (e) { $("submit-status").textContent = `refused: ${e.message}`; }
});

async function refreshJobs() {
  const jobs = await api("/api/jobs");
  const body = $("jobs").tBodies[0];
  body.replaceChildren();
  for (const job of jobs) {
    const row = body.insertRow();
    row.dataset.job = job.id;
    cell(row, job.id); cell(row, job.name); cell(row, job.state, `state-${job.state}`); cell(row, job.runId);
    const actions = row.insertCell();
    const view = document.createElement("button");
    view.textContent = "watch"; view.onclick = () => watch(job.id);
    actions.appendChild(view);
    if (job.state === "queued" || job.state === "running") {
      const cancel = document.createElement("button");
      cancel.textContent = "cancel"; cancel.onclick = () => api(`/api/jobs/${job.id}`, { method: "DELETE" }).then(refreshJobs);
      actions.appendChild(cancel);
    }
  }
}

const chart = new LineChart($("chart"));
let watching = null;

// Reads the job's event stream with fetch (so the API key header goes along) and reconnects from the last event id.
async function watch(id) {
  const me = {}; watching = me;
  chart.clear();
  $("live-job").textContent = id;
  let lastId = 0;
  let pending = false;
  const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; chart.draw(); }); } };
  while (watching === me) {
    try {
      const response = await fetch(`/api/jobs/${id}/events`, { headers: headers(lastId ? { "Last-Event-ID": String(lastId) } : {}) });
      if (!response.ok) { $("live-status").textContent = `events refused: ${response.status}`; return; }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done || watching !== me) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          const event = { type: "message", data: "" };
          for (const line of frame.split("\n")) {
            const colon = line.indexOf(": ");
            if (colon < 0) continue;
            const field = line.slice(0, colon), text = line.slice(colon + 2);
            if (field === "id") event.id = Number(text);
            else if (field === "event") event.type = text;
            else if (field === "data") event.data += text;
          }
          if (event.id) lastId = event.id;
          if (!event.data) continue;
          const data = JSON.parse(event.data);
          if (event.type === "progress") chart.add("loss", data.step, data.loss);
          else if (event.type === "metrics") {
            for (const name of ["val_loss", "val_acc", "train_acc"]) if (name in data.metrics) chart.add(name, data.step, data.metrics[name]);
          } else if (event.type === "end") {
            $("live-status").textContent = `ended: ${data.state}`;
            chart.draw(); refreshJobs(); refreshRuns(); return;
          } else $("live-status").textContent = event.type;
          redraw();
        }
      }
    } catch (e) { $("live-status").textContent = `reconnecting: ${e.message}`; }
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function refreshRuns() {
  const runs = await api("/api/runs");
  const body = $("runs").tBodies[0];
  body.replaceChildren();
  for (const run of runs) {
    const row = body.insertRow();
    const pick = document.createElement("input");
    pick.type = "checkbox"; pick.value = run.id;
    row.insertCell().appendChild(pick);
    cell(row, `${run.name}/${run.version}`); cell(row, run.status); cell(row, new Date(run.startedAt).toLocaleString());
  }
}

$("compare").addEventListener("click", async () => {
  const ids = [...$("runs").querySelectorAll("input:checked")].map(i => i.value);
  const details = await Promise.all(ids.map(id => api(`/api/runs/${encodeURIComponent(id)}`)));
  const names = [...new Set(details.flatMap(d => Object.keys(d.metrics)))].sort();
  const table = $("comparison");
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  cell(head, "metric");
  for (const d of details) cell(head, `${d.run.name}/${d.run.version}`);
  const body = table.createTBody();
  for (const name of names) {
    const row = body.insertRow();
    cell(row, name);
    for (const d of details) cell(row, d.metrics[name]?.toFixed(4));
  }
});

async function refreshPlugins() {
  const plugins = await api("/api/plugins");
  const body = $("plugins").tBodies[0];
  body.replaceChildren();
  for (const p of plugins) {
    const row = body.insertRow();
    cell(row, p.id); cell(row, p.kind); cell(row, p.version); cell(row, p.status);
  }
}

function refresh() { refreshJobs().catch(() => {}); refreshRuns().catch(() => {}); refreshPlugins().catch(() => {}); }
refresh();
setInterval(() => refreshJobs().catch(() => {}), 2000);
