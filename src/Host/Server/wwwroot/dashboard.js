// The dashboard: jobs, a live chart of a running job from its Server-Sent Events, run comparison, plugins.
// Events are read with fetch (not EventSource) so that the API key header goes with them.
"use strict";
const $ = id => document.getElementById(id);
const keyInput = $("api-key");
keyInput.value = sessionStorage.getItem("conduit-api-key") || "";
keyInput.addEventListener("change", () => { sessionStorage.setItem("conduit-api-key", keyInput.value); refresh(); });

const sampleJob = {
  name: "digits",
  data: { source: "csv", path: "samples/data/digits.csv", label: "label", batch_size: 32, normalize: "standardize",
          split: { validation: 0.1, test: 0.2, seed: 42, stratify: true } },
  model: { type: "mlp", hidden: [128], activation: "relu" },
  optimizer: { type: "adamw", lr: 0.001 },
  trainer: { max_epochs: 20, seed: 42 },
  export: "onnx"
};
$("job-document").value = JSON.stringify(sampleJob, null, 2);

function headers(extra) {
  const h = Object.assign({}, extra);
  if (keyInput.value) h["X-Api-Key"] = keyInput.value;
  return h;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({}, options, { headers: headers(options && options.headers) }));
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw Object.assign(new Error(body?.detail || response.statusText), { problem: body });
  return body;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

let selectedJob = null;
let liveAbort = null;
const live = { loss: [], valLoss: [], valAcc: [] };

async function refreshJobs() {
  const jobs = await api("/api/jobs");
  const body = $("jobs").tBodies[0];
  body.replaceChildren(...jobs.map(job => {
    const tr = document.createElement("tr");
    tr.dataset.id = job.id;
    if (job.id === selectedJob) tr.className = "selected";
    tr.append(cell(job.id), cell(job.name), cell(job.status, "status-" + job.status), cell(new Date(job.submittedAt).toLocaleTimeString()), cell(job.reason));
    const actions = document.createElement("td");
    const watch = document.createElement("button");
    watch.textContent = "watch";
    watch.onclick = () => watchJob(job.id);
    actions.append(watch);
    if (job.status === "running" || job.status === "queued") {
      const cancel = document.createElement("button");
      cancel.textContent = "cancel";
      cancel.onclick = () => api("/api/jobs/" + job.id, { method: "DELETE" }).then(refreshJobs);
      actions.append(" ", cancel);
    }
    tr.append(actions);
    return tr;
  }));
}

function drawLive() {
  ConduitChart.draw($("live-chart"), [
    { name: "train loss (batches)", points: live.loss },
    { name: "val loss", points: live.valLoss },
    { name: "val acc", points: live.valAcc },
  ]);
}

async function watchJob(id) {
  if (liveAbort) liveAbort.abort();
  liveAbort = new AbortController();
  selectedJob = id;
  live.loss = []; live.valLoss = []; live.valAcc = [];
  $("live-job").textContent = id;
  drawLive();
  refreshJobs();
  try {
    const response = await fetch("/api/jobs/" + id + "/events", { headers: headers(), signal: liveAbort.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        handleEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") $("live-status").textContent = "events: " + e.message;
  }
}

function handleEvent(text) {
  const fields = {};
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  const data = fields.data ? JSON.parse(fields.data) : {};
  switch (fields.event) {
    case "progress":
      live.loss.push([data.globalStep, data.loss]);
      $("live-status").textContent = `epoch ${data.epoch + 1}, batch ${data.batch}/${data.batchesInEpoch ?? "?"}, loss ${data.loss.toFixed(4)}`;
      break;
    case "validation":
      if (data.metrics.val_loss !== undefined) live.valLoss.push([data.globalStep, data.metrics.val_loss]);
      if (data.metrics.val_acc !== undefined) live.valAcc.push([data.globalStep, data.metrics.val_acc]);
      break;
    case "end":
      $("live-status").textContent = `ended: ${data.status}${data.reason ? " (" + data.reason + ")" : ""}`;
      refreshJobs();
      refreshRuns();
      break;
  }
  drawLive();
}

const compared = new Set();
async function refreshRuns() {
  const runs = await api("/api/runs");
  const body = $("runs").tBodies[0];
  const metrics = new Set();
  body.replaceChildren(...runs.map(run => {
    Object.keys(run.metrics).forEach(m => metrics.add(m));
    const tr = document.createElement("tr");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = compared.has(run.id);
    box.onchange = () => { box.checked ? compared.add(run.id) : compared.delete(run.id); drawCompare(); };
    const pick = document.createElement("td");
    pick.append(box);
    const last = Object.entries(run.metrics).filter(([k]) => !k.startsWith("lr")).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ");
    tr.append(pick, cell(run.id), cell(run.status, "status-" + run.status), cell(new Date(run.startedAt).toLocaleString()), cell(last));
    return tr;
  }));
  const select = $("compare-metric");
  const current = select.value || "val_acc";
  select.replaceChildren(...[...metrics].sort().map(m => Object.assign(document.createElement("option"), { value: m, textContent: m, selected: m === current })));
}

async function drawCompare() {
  const metric = $("compare-metric").value;
  const series = [];
  for (const id of compared) {
    const run = await api("/api/runs/" + encodeURIComponent(id) + "/metrics");
    series.push({ name: id.slice(0, 28), points: (run.metrics[metric] || []).map(p => [p.step, p.value]) });
  }
  ConduitChart.draw($("compare-chart"), series);
}
$("compare-metric").onchange = drawCompare;

async function refreshPlugins() {
  const plugins = await api("/api/plugins");
  $("plugins").tBodies[0].replaceChildren(...plugins.map(p => {
    const tr = document.createElement("tr");
    tr.append(cell(p.id), cell(p.kind), cell(p.version), cell(p.status + (p.reason ? ": " + p.reason : ""), "status-" + (p.status === "loaded" ? "completed" : "failed")), cell(p.description));
    return tr;
  }));
}

$("submit-job").onclick = async () => {
  $("submit-result").className = "muted";
  try {
    const job = await api("/api/jobs", { method: "POST", body: $("job-document").value, headers: { "Content-Type": "application/json" } });
    $("submit-result").textContent = "queued " + job.id;
    watchJob(job.id);
  } catch (e) {
    $("submit-result").className = "error";
    $("submit-result").textContent = (e.problem?.errors || [e.message]).join("\n");
  }
};

async function refresh() {
  try {
    const health = await fetch("/health").then(r => r.json());
    $("health").textContent = health.status;
    await Promise.all([refreshJobs(), refreshRuns(), refreshPlugins()]);
  } catch (e) {
    $("health").textContent = e.message;
  }
}
refresh();
setInterval(refreshJobs, 3000);
drawLive();
