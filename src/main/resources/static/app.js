// kafka-scale results page: plain JS, no network but this server. Polls /results, /progress,
// /admin/offsets and /scaling; every section says so visibly when its endpoint is down.
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

// --- compute workers: /scaling drawn as hand-written SVG (throughput and lag over time, a marker per change)
const SVG = "http://www.w3.org/2000/svg";
const RATE_COLOR = "#3b6fd8", LAG_COLOR = "#e07b28", MARKER_COLOR = "#7b52c7";

function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString("en-GB");
}

function rate(r) {
  return r === null || r === undefined ? "–" : Number(r).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 2.5, 5, 10].map(m => m * p).find(m => m >= v);
}

function scalingStatus(view) {
  const c = view.current;
  switch (view.status) {
    case "waiting": return `No sample of group ${view.group} yet.`;
    case "unavailable":
      return `Kafka unreachable${view.lastAvailableAt ? " since " + clock(view.lastAvailableAt) : ""}: ${view.error}. ` +
        (c ? "Showing the last samples." : "Nothing sampled yet.");
    case "empty": return `No compute workers in group ${view.group}: nothing consumes ${view.topic}` +
      (c ? ` (lag ${fmt(c.lag)} chunks).` : ".");
    case "rebalancing": return `Rebalancing: ${c.memberCount} worker(s) in group ${view.group}, partitions being reassigned…`;
    default: return `${c.memberCount} worker${c.memberCount === 1 ? "" : "s"} · ${rate(c.chunksPerSecond)} chunks/s · ` +
      `lag ${fmt(c.lag)} chunks · ${c.partitions} partitions`;
  }
}

function renderScaling(view) {
  const status = document.getElementById("scaling-status");
  status.textContent = scalingStatus(view);
  status.className = "scaling-status " + view.status;
  status.dataset.status = view.status;
  renderScalingChart(view);
  renderScalingMembers(view);
  const list = document.getElementById("scaling-events");
  list.innerHTML = "";
  view.events.slice(-10).reverse().forEach(e => {
    const li = document.createElement("li");
    li.dataset.at = e.at;
    const t = document.createElement("time");
    t.textContent = clock(e.at);
    li.append(t, e.text);
    list.appendChild(li);
  });
  if (view.events.length === 0) list.innerHTML = "<li class=\"muted\">none in the window</li>";
}

function renderScalingMembers(view) {
  const body = document.querySelector("#scaling-members tbody");
  body.innerHTML = "";
  const c = view.current;
  if (!c || c.members.length === 0) {
    const row = body.insertRow();
    cell(row, c ? "No workers in the group." : "No sample yet.", false).colSpan = 5;
    return;
  }
  c.members.forEach(m => {
    const row = body.insertRow();
    row.dataset.memberId = m.memberId;
    if (c.stale) row.className = "stale";
    cell(row, m.label, false).title = m.memberId;
    cell(row, m.host, false);
    cell(row, m.partitions.length, true);
    cell(row, m.partitions.join(", "), false).className = "partitions";
    cell(row, rate(m.chunksPerSecond), true);
  });
}

function renderScalingChart(view) {
  const chart = document.getElementById("scaling-chart");
  const samples = view.samples;
  if (samples.length === 0) { chart.textContent = ""; return; }
  const W = 1000, H = 260, left = 60, right = 70, top = 24, bottom = 28;
  const t1 = view.now, t0 = Math.min(samples[0].at, t1 - 60000);
  const x = t => left + (t - t0) / (t1 - t0) * (W - left - right);
  const maxRate = niceMax(Math.max(0, ...samples.map(s => s.chunksPerSecond || 0)));
  const maxLag = niceMax(Math.max(0, ...samples.map(s => s.lag || 0)));
  const yRate = r => H - bottom - r / maxRate * (H - top - bottom);
  const yLag = l => H - bottom - l / maxLag * (H - top - bottom);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}` });

  [0, 0.5, 1].forEach(f => {
    const y = H - bottom - f * (H - top - bottom);
    svg.appendChild(svgEl("line", { x1: left, x2: W - right, y1: y, y2: y, stroke: "#eef1f6" }));
    svg.appendChild(svgEl("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: RATE_COLOR },
      maxRate >= 10 ? fmt(Math.round(f * maxRate)) : rate(f * maxRate)));
    svg.appendChild(svgEl("text", { x: W - right + 6, y: y + 4, "font-size": 11, fill: LAG_COLOR }, fmt(Math.round(f * maxLag))));
  });
  for (let i = 0; i <= 4; i++) {
    const t = t0 + i * (t1 - t0) / 4;
    svg.appendChild(svgEl("text", { x: x(t), y: H - 8, "text-anchor": "middle", "font-size": 11, fill: "#5d6b82" }, clock(t)));
  }
  // stretches in which Kafka did not answer
  samples.forEach((s, i) => {
    if (!s.available) {
      const end = i + 1 < samples.length ? samples[i + 1].at : t1;
      const prev = i > 0 ? samples[i - 1].at : s.at;
      svg.appendChild(svgEl("rect", { class: "scaling-gap", x: x(prev), y: top, width: Math.max(1, x(end) - x(prev)),
        height: H - top - bottom, fill: "#fde2e1" }));
    }
  });
  // one polyline per unbroken run of known values
  const line = (value, y, color, name) => {
    let run = [];
    const flush = () => {
      if (run.length > 0) svg.appendChild(svgEl("polyline", { class: name, points: run.join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
      run = [];
    };
    samples.forEach(s => { const v = value(s); if (v === null || v === undefined) flush(); else run.push(`${x(s.at).toFixed(1)},${y(v).toFixed(1)}`); });
    flush();
  };
  line(s => s.lag, yLag, LAG_COLOR, "scaling-lag");
  line(s => s.chunksPerSecond, yRate, RATE_COLOR, "scaling-rate");
  view.events.forEach((e, i) => {
    const g = svgEl("g", { class: "scaling-marker", "data-at": e.at, "data-kind": e.kind });
    const xe = x(e.at);
    g.appendChild(svgEl("line", { x1: xe, x2: xe, y1: top - 4, y2: H - bottom, stroke: MARKER_COLOR, "stroke-dasharray": "4 3" }));
    const short = e.kind === "seen" ? (e.joined.length > 2 ? `${e.joined.length} workers` : e.joined.join(" "))
      : [...e.joined.map(j => "+" + j), ...e.left.map(l => "−" + l)].join(" ") || "reassigned";
    // labels near the right edge go left of their line, clear of the lag axis
    const leftOfLine = xe > W - right - 90;
    g.appendChild(svgEl("text", { x: leftOfLine ? xe - 3 : xe + 3, y: top - 8 + (i % 2) * 12, "font-size": 11,
      fill: MARKER_COLOR, "text-anchor": leftOfLine ? "end" : "start" }, short));
    g.appendChild(svgEl("title", {}, `${clock(e.at)} ${e.text}`));
    svg.appendChild(g);
  });
  const legend = document.createElement("div");
  legend.className = "legend";
  legend.innerHTML = `<span><span class="swatch" style="background:${RATE_COLOR}"></span>chunks/s (left axis)</span>` +
    `<span><span class="swatch" style="background:${LAG_COLOR}"></span>lag, chunks (right axis)</span>` +
    `<span><span class="swatch" style="background:${MARKER_COLOR}"></span>change of workers</span>` +
    `<span><span class="swatch" style="background:#fde2e1"></span>Kafka unreachable</span>` +
    `<span class="muted">last ${Math.round((t1 - t0) / 60000)} min, rates over ${view.rateSpanMs / 1000} s</span>`;
  chart.replaceChildren(svg, legend);
}

async function refreshScaling() {
  try {
    renderScaling(await getJson("/scaling"));
    showError("scaling-error", null);
  } catch (e) {
    showError("scaling-error", e); // the last chart and table stay
  }
  setTimeout(refreshScaling, FAST_MS);
}

refreshScaling();
document.getElementById("log-scale").addEventListener("change", () => lastResults && renderChart(lastResults));
getJson("/ui/settings").then(s => { computeTopic = s.computeTopic; }).catch(() => {}).finally(refresh);
