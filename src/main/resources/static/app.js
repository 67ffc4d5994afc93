// kafka-scale results page: plain JS, no network but this server. Polls /results, /progress and
// /admin/offsets; every section says so visibly when its endpoint is down.
"use strict";

const COLORS = ["#3b6fd8", "#e07b28", "#2e9e5b", "#c23b6c", "#7b52c7", "#1f9fb0", "#a4862d"];
const FAST_MS = 2000, SLOW_MS = 10000;
let computeTopic = "compute";
let lastResults = null;

async function getJson(path) {
  const response = await fetch(path, { headers: { "Accept": "application/json" }, cache: "no-store" });
  if (!response.ok) {
    throw new Error(`${path} answered HTTP ${response.status}`);
  }
  return response.json();
}

function showError(id, error) {
  const box = document.getElementById(id);
  if (error) {
    box.textContent = `Cannot load this part: ${error.message || error}. Retrying…`;
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "num";
  row.appendChild(td);
  return td;
}

function fmt(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US");
}

function renderResults(results) {
  const years = Object.keys(results).sort();
  const head = document.querySelector("#results thead tr");
  head.innerHTML = "<th>Code</th><th>Description</th>";
  years.forEach(y => { const th = document.createElement("th"); th.className = "num"; th.textContent = y; head.appendChild(th); });
  const body = document.querySelector("#results tbody");
  body.innerHTML = "";
  if (years.length === 0) {
    const row = body.insertRow();
    cell(row, "No counts yet.", false).colSpan = 2;
    return;
  }
  const codes = Object.keys(results[years[0]]).sort((a, b) => a - b);
  codes.forEach(code => {
    const row = body.insertRow();
    row.dataset.code = code;
    cell(row, code, true);
    cell(row, results[years[0]][code].Description, false);
    years.forEach(y => { const td = cell(row, fmt(results[y][code].Count), true); td.dataset.year = y; td.dataset.count = results[y][code].Count; });
  });
}

function renderChart(results) {
  const chart = document.getElementById("chart");
  const years = Object.keys(results).sort();
  if (years.length === 0) { chart.textContent = ""; return; }
  const codes = Object.keys(results[years[0]]).sort((a, b) => a - b);
  const log = document.getElementById("log-scale").checked;
  const max = Math.max(1, ...years.flatMap(y => codes.map(c => results[y][c].Count)));
  const scale = v => log ? (v <= 0 ? 0 : Math.log10(v + 1) / Math.log10(max + 1)) : v / max;
  const W = 1000, H = 320, left = 60, bottom = 40, top = 10;
  const group = (W - left) / codes.length, bar = Math.max(2, (group - 8) / years.length);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const ticks = log ? [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000].filter(t => t <= max * 10) : [0, max / 4, max / 2, 3 * max / 4, max];
  ticks.forEach(t => {
    const y = H - bottom - scale(t) * (H - bottom - top);
    const line = document.createElementNS(ns, "line");
    Object.entries({ x1: left, x2: W, y1: y, y2: y, stroke: "#eef1f6" }).forEach(([k, v]) => line.setAttribute(k, v));
    svg.appendChild(line);
    const label = document.createElementNS(ns, "text");
    Object.entries({ x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#5d6b82" }).forEach(([k, v]) => label.setAttribute(k, v));
    label.textContent = Math.round(t).toLocaleString("en-US");
    svg.appendChild(label);
  });
  codes.forEach((code, i) => {
    years.forEach((year, j) => {
      const count = results[year][code].Count;
      const h = scale(count) * (H - bottom - top);
      const rect = document.createElementNS(ns, "rect");
      Object.entries({ x: left + i * group + 4 + j * bar, y: H - bottom - h, width: bar - 1, height: h, fill: COLORS[j % COLORS.length] })
        .forEach(([k, v]) => rect.setAttribute(k, v));
      const title = document.createElementNS(ns, "title");
      title.textContent = `${year} · ${code} ${results[year][code].Description}: ${count.toLocaleString("en-US")}`;
      rect.appendChild(title);
      svg.appendChild(rect);
    });
    const label = document.createElementNS(ns, "text");
    Object.entries({ x: left + i * group + group / 2, y: H - bottom + 16, "text-anchor": "middle", "font-size": 12 }).forEach(([k, v]) => label.setAttribute(k, v));
    label.textContent = code;
    svg.appendChild(label);
  });
  const legend = document.createElement("div");
  legend.className = "legend";
  years.forEach((y, j) => { legend.innerHTML += `<span><span class="swatch" style="background:${COLORS[j % COLORS.length]}"></span>${y}</span>`; });
  legend.innerHTML += `<span class="muted">x: housing type code (see table) · y: records${log ? " (log scale)" : ""}</span>`;
  chart.replaceChildren(svg, legend);
}

function renderProgress(progress) {
  const status = document.getElementById("status");
  status.textContent = progress.complete ? "complete" : (progress.runId ? "in progress" : "waiting for a reader run");
  status.className = "status" + (progress.complete ? " complete" : "");
  const body = document.querySelector("#progress tbody");
  body.innerHTML = "";
  // one row per survey month: its latest attempt, and what is counted (served in /results)
  Object.entries(progress.months || {}).forEach(([month, m]) => {
    const latest = (m.attempts || [])[m.attempts.length - 1] || {};
    const counted = m.counted;
    const row = body.insertRow();
    cell(row, month, false);
    cell(row, latest.source || (counted && counted.source) || "–", false);
    cell(row, m.status, false);
    cell(row, fmt(latest.chunks), true);
    cell(row, fmt(latest.chunksCounted), true);
    cell(row, fmt(counted ? counted.records : latest.recordsCounted), true);
    cell(row, Object.entries((counted && counted.rejected) || {}).map(([r, n]) => `${r}: ${n}`).join(", ") || "none", false);
    const note = latest.error || latest.note || "";
    cell(row, note + (counted && latest.status !== "counted" && latest.status !== "unchanged" && latest.status !== "counting"
      && latest.status !== "reading" ? (note ? "; " : "") + "last good counts still served" : ""), false);
  });
  return progress.complete;
}

function renderLag(report) {
  const body = document.querySelector("#lag tbody");
  body.innerHTML = "";
  report.partitions.forEach(p => {
    const row = body.insertRow();
    cell(row, p.partition, true); cell(row, fmt(p.committed), true); cell(row, fmt(p.logEnd), true); cell(row, fmt(p.lag), true);
  });
  const total = body.insertRow();
  cell(total, "total", true); cell(total, fmt(report.totalCommitted), true); cell(total, fmt(report.totalLogEnd), true); cell(total, fmt(report.totalLag), true);
}

async function refresh() {
  let complete = false;
  // progress first: once it says complete, the results read after it are final
  try {
    complete = renderProgress(await getJson("/progress"));
    showError("progress-error", null);
  } catch (e) {
    showError("progress-error", e);
    const status = document.getElementById("status");
    status.textContent = "unknown (progress unavailable)"; status.className = "status down";
  }
  try {
    lastResults = await getJson("/results");
    renderResults(lastResults);
    renderChart(lastResults);
    showError("results-error", null); showError("chart-error", null);
  } catch (e) { showError("results-error", e); showError("chart-error", e); }
  try {
    renderLag(await getJson(`/admin/offsets?topic=${encodeURIComponent(computeTopic)}`));
    showError("lag-error", null);
  } catch (e) { showError("lag-error", e); }
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  setTimeout(refresh, complete ? SLOW_MS : FAST_MS);
}

document.getElementById("log-scale").addEventListener("change", () => lastResults && renderChart(lastResults));
getJson("/ui/settings").then(s => { computeTopic = s.computeTopic; }).catch(() => {}).finally(refresh);
