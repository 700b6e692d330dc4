// Viewfold's web app: plain DOM and Canvas 2D, no build step, no third-party code. It calls the same
// HTTP functions curl users do (functions/openapi.yaml), so it can do nothing the API does not allow.
// Text from the server is only ever set through textContent, never parsed as HTML.
"use strict";

const page = document.getElementById("page");
const errorBox = document.getElementById("error");
const statusLine = document.getElementById("status");

// ---------------------------------------------------------------- small helpers

/** Replaces a node's children, skipping the nulls a conditional part leaves (replaceChildren would print "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));
  return node;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; a 4xx/5xx becomes an ApiError carrying the server's own words. */
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "the server cannot be reached (" + e.message + ")");
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error || text;
    } catch (ignored) { /* a plain-text error */ }
    throw new ApiError(response.status, message || response.statusText);
  }
  return text ? JSON.parse(text) : null;
}

function showError(e) {
  const status = e.status ? " (HTTP " + e.status + ")" : "";
  errorBox.textContent = (e.message || String(e)) + status;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = "";
}

/** Runs an action, showing what went wrong in words instead of throwing. */
async function guarded(action) {
  try {
    clearError();
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  }
}

const thumb = imageId => "/map/thumb?id=" + encodeURIComponent(imageId);
const fixed = (n, d = 3) => (typeof n === "number" ? n.toFixed(d) : "–");
const list = s => (s || "").split(",").map(x => x.trim()).filter(Boolean);

function image(imageId, alt) {
  return el("img", { src: thumb(imageId), alt: alt || imageId, loading: "lazy" });
}

function observationLink(id, space) {
  const q = space ? "?space=" + encodeURIComponent(space) : "";
  return el("a", { href: "#/observation/" + encodeURIComponent(id) + q, text: id });
}

function chips(labels, cls) {
  return (labels || []).map(l => el("span", { class: "badge " + (cls || ""), text: l }));
}

function clusterChip(clusterId) {
  return clusterId ? el("span", { class: "badge cluster", text: "cluster " + clusterId }) : null;
}

// ---------------------------------------------------------------- routing: the state is the URL hash

function route() {
  const hash = location.hash.replace(/^#\/?/, "") || "search";
  const [path, query] = hash.split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { name: parts[0], arg: parts[1], params: new URLSearchParams(query || "") };
}

function go(name, params, arg) {
  const q = params && [...params.keys()].length ? "?" + params.toString() : "";
  location.hash = "#/" + name + (arg ? "/" + encodeURIComponent(arg) : "") + q;
}

const pages = { search: searchPage, observation: observationPage, map: mapPage, clusters: clustersPage,
  duplicates: duplicatesPage };

let leavePage = () => {};

function render() {
  leavePage();
  leavePage = () => {};
  clearError();
  const r = route();
  const show = pages[r.name];
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("current", a.dataset.page === r.name);
  }
  page.replaceChildren();
  if (!show) {
    showError(new Error("no page called '" + r.name + "': try Search, Map, Clusters or Duplicates"));
    return;
  }
  show(r);
}

window.addEventListener("hashchange", render);

// ---------------------------------------------------------------- the status line

async function pollStatus() {
  try {
    const s = await api("GET", "/status");
    const parts = [];
    for (const job of s.running || []) {
      parts.push(job.kind + ": " + (job.stage || "starting") + " " + Math.round(100 * (job.fraction || 0)) + "%");
    }
    if (s.encoding && s.encoding.inFlight > 0) {
      parts.push("encoding " + s.encoding.inFlight + " images (" + s.encoding.encoded + " done)");
    }
    statusLine.textContent = parts.length ? parts.join(" · ") : "idle";
    statusLine.dataset.busy = parts.length > 0;
  } catch (e) {
    statusLine.textContent = "server unreachable";
  }
}

// ---------------------------------------------------------------- search

let spaceList = null;

async function spaces() {
  if (!spaceList) spaceList = api("GET", "/spaces").catch(e => { spaceList = null; throw e; });
  return spaceList;
}

function readAsDataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new Error("cannot read " + file.name));
    reader.readAsDataURL(file);
  });
}

/** Photos dropped, picked or pasted: they live in the page, not the URL (a link cannot carry them). */
let pickedPhotos = [];

function searchPage(r) {
  const p = r.params;
  const form = el("form", { class: "controls", "aria-label": "search" });
  const drop = el("div", { class: "drop", tabindex: "0", role: "button",
    "aria-label": "drop, pick or paste photos of one thing" });
  const fileInput = el("input", { type: "file", accept: "image/*", multiple: true, hidden: true, id: "photos" });
  const dropText = el("span", { text: "Drop, pick or paste photos (several = one thing's views)" });
  const previews = el("div", { class: "previews" });
  drop.append(dropText, previews, fileInput);

  const from = el("input", { name: "q", id: "from", value: p.get("q") || "", size: 28,
    placeholder: "obs:<id>, img:<image id> or sel:<id,id>" });
  const k = el("input", { name: "k", id: "k", type: "number", min: 1, max: 1000, value: p.get("k") || 12 });
  const minScore = el("input", { name: "min", id: "min", type: "number", min: -1, max: 1, step: 0.01,
    value: p.get("min") || "" });
  const target = el("select", { name: "target", id: "target" },
    el("option", { value: "observations", text: "observations" }), el("option", { value: "images", text: "images" }));
  target.value = p.get("target") || "observations";
  const space = el("select", { name: "space", id: "space" }, el("option", { value: "", text: "the model's" }));
  const cluster = el("input", { name: "cluster", id: "cluster", value: p.get("cluster") || "", size: 8,
    placeholder: "c1,c2" });
  const label = el("input", { name: "label", id: "label", value: p.get("label") || "", size: 10,
    placeholder: "label,label" });
  const clear = el("button", { type: "button", text: "Clear photos" });
  form.append(drop,
    el("label", { for: "from" }, "or from a stored item", from),
    el("label", { for: "k" }, "k", k),
    el("label", { for: "min" }, "min score", minScore),
    el("label", { for: "target" }, "target", target),
    el("label", { for: "space" }, "space", space),
    el("label", { for: "cluster" }, "clusters", cluster),
    el("label", { for: "label" }, "labels", label),
    el("button", { type: "submit", class: "primary", text: "Search" }), clear);
  const summary = el("p", { class: "muted", id: "summary" });
  const grid = el("div", { class: "grid", id: "results", "aria-live": "polite" });
  page.append(el("h1", { text: "Search" }), form, summary, grid);

  spaces().then(s => {
    for (const h of s.heads || []) space.append(el("option", { value: h.space, text: h.kind + " head · " + h.space }));
    space.value = p.get("space") || "";
  }).catch(showError);

  function showPreviews() {
    previews.replaceChildren(...pickedPhotos.map(f => el("img", { src: f.url, alt: f.name })));
    dropText.textContent = pickedPhotos.length
      ? pickedPhotos.length + " photo" + (pickedPhotos.length > 1 ? "s" : "") + " (folded into one query)"
      : "Drop, pick or paste photos (several = one thing's views)";
  }

  async function addFiles(files) {
    const images = [...files].filter(f => f.type.startsWith("image/") || f.type === "");
    if (!images.length) {
      showError(new Error("those were not images"));
      return;
    }
    for (const f of images.slice(0, 16 - pickedPhotos.length)) {
      pickedPhotos.push({ name: f.name, url: await readAsDataUrl(f) });
    }
    from.value = "";
    showPreviews();
    run();
  }

  drop.addEventListener("click", () => fileInput.click());
  drop.addEventListener("keydown", e => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); fileInput.click(); }
  });
  fileInput.addEventListener("change", () => addFiles(fileInput.files));
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => {
    e.preventDefault();
    drop.classList.remove("over");
    addFiles(e.dataTransfer.files);
  });
  const onPaste = e => {
    const files = [...(e.clipboardData ? e.clipboardData.files : [])];
    if (files.length) addFiles(files);
  };
  document.addEventListener("paste", onPaste);
  leavePage = () => document.removeEventListener("paste", onPaste);
  clear.addEventListener("click", () => { pickedPhotos = []; showPreviews(); });
  showPreviews();

  function controls() {
    const params = new URLSearchParams();
    if (from.value.trim()) params.set("q", from.value.trim());
    if (k.value && k.value !== "12") params.set("k", k.value);
    if (minScore.value) params.set("min", minScore.value);
    if (target.value !== "observations") params.set("target", target.value);
    if (space.value) params.set("space", space.value);
    if (cluster.value.trim()) params.set("cluster", cluster.value.trim());
    if (label.value.trim()) params.set("label", label.value.trim());
    return params;
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    if (from.value.trim()) pickedPhotos = [];
    const params = controls();
    if (params.toString() === r.params.toString()) run();
    else go("search", params); // the hash change renders the page again and runs the search
  });

  async function run() {
    const body = { k: Number(k.value || 12), target: target.value };
    const q = from.value.trim();
    if (pickedPhotos.length === 1) body.image = pickedPhotos[0].url;
    else if (pickedPhotos.length > 1) body.images = pickedPhotos.map(f => f.url);
    else if (q.startsWith("obs:")) body.observationId = q.slice(4);
    else if (q.startsWith("img:")) body.imageId = q.slice(4);
    else if (q.startsWith("sel:")) body.observationIds = list(q.slice(4));
    else if (q) body.observationId = q;
    else {
      summary.textContent = "Drop a photo, or name a stored observation, to search.";
      grid.replaceChildren();
      return;
    }
    if (body.observationId || body.observationIds) body.excludeOwnObservation = true;
    const filter = {};
    if (list(cluster.value).length) filter.clusters = list(cluster.value);
    if (list(label.value).length) filter.labels = list(label.value);
    if (minScore.value !== "") filter.minScore = Number(minScore.value);
    if (Object.keys(filter).length) body.filter = filter;
    if (space.value) body.space = space.value;
    summary.textContent = "searching…";
    const answer = await guarded(() => api("POST", "/search", body));
    if (!answer) {
      summary.textContent = "";
      grid.replaceChildren();
      return;
    }
    summary.textContent = answer.hits.length + " hits in " + fixed(answer.tookMs, 1) + " ms (" + answer.path
      + ", " + answer.indexed + " " + answer.target + " indexed" + (pickedPhotos.length ? "; a search by uploaded"
      + " photo is not kept in the link" : "") + ")";
    grid.replaceChildren(...answer.hits.map(h => hitCard(h, answer.space, answer.target)));
  }

  run();
}

function hitCard(hit, space, target) {
  const observation = hit.observationId || hit.id;
  const more = el("button", { type: "button", text: "More like this", onclick: () => {
    pickedPhotos = [];
    go("search", new URLSearchParams({ q: "obs:" + observation }));
  } });
  return el("div", { class: "card hit", "data-id": hit.id, "data-observation": observation },
    el("a", { href: "#/observation/" + encodeURIComponent(observation) + (space && space.includes("+head@")
      ? "?space=" + encodeURIComponent(space) : "") }, image(hit.bestView || hit.id, observation)),
    el("div", { class: "body" },
      el("div", {}, el("span", { class: "score", text: fixed(hit.score) }), " ", observationLink(observation)),
      target === "images" ? el("div", { class: "muted", text: hit.bestView || hit.id }) : null,
      el("div", {}, clusterChip(hit.clusterId), chips(hit.labels)),
      more));
}

// ---------------------------------------------------------------- one observation

async function observationPage(r) {
  const id = r.arg;
  const space = r.params.get("space") || undefined;
  const head = el("div");
  const views = el("div", { class: "grid", id: "views" });
  const labels = el("div", { id: "labels" });
  const nearest = el("div", { class: "grid", id: "nearest" });
  page.append(el("h1", { text: "Observation " + id }), head,
    el("h2", { text: "Views" }), views, el("h2", { text: "Labels" }), labels,
    el("h2", { text: "Nearest observations" }), nearest);
  const o = await guarded(() => api("POST", "/observation", { observationId: id, space }));
  if (!o) return;
  const flagged = o.views.filter(v => v.outlier).length;
  head.append(
    el("p", {}, o.viewCount + " views, folded by " + o.strategy + " · dispersion " + fixed(o.dispersion) + " · ",
      flagged ? el("span", { class: "badge outlier", text: flagged + " outlier view" + (flagged > 1 ? "s" : "") })
        : "no outlier views", " ", clusterChip(o.clusterId),
      o.placement ? el("span", { class: "muted", text: " p " + fixed(o.placement.probability, 2) }) : null),
    el("div", { class: "explain", id: "explanation", text: o.explanation || "" }));
  views.append(...o.views.map(v => el("div", { class: "card view" + (v.outlier ? " flagged" : ""), "data-image": v.imageId },
    image(v.imageId, v.viewId),
    el("div", { class: "body" },
      el("div", {}, "agreement ", el("span", { class: "score", text: fixed(v.agreement) })),
      v.outlier ? el("span", { class: "badge outlier", text: "outlier: left out of the fold" }) : null,
      v.likelyHome ? el("div", { class: "likely-home" }, "looks like ", observationLink(v.likelyHome, space),
        el("span", { class: "muted", text: " " + fixed(v.likelyHomeScore) })) : null,
      el("div", { class: "muted", text: v.viewId })))));
  showLabels(o.labels);

  function showLabels(current) {
    const input = el("input", { id: "new-label", placeholder: "new label", "aria-label": "new label" });
    const form = el("form", { class: "inline" }, input, el("button", { type: "submit", text: "Add label" }));
    form.addEventListener("submit", async e => {
      e.preventDefault();
      if (!input.value.trim()) return;
      const answer = await guarded(() => api("POST", "/labels", { observationId: id, add: [input.value.trim()] }));
      if (answer) showLabels(answer.labels);
    });
    fill(labels,
      (current || []).map(l => el("span", { class: "badge label", "data-label": l }, l,
        el("button", { type: "button", "aria-label": "remove label " + l, text: "×", onclick: async () => {
          const answer = await guarded(() => api("POST", "/labels", { observationId: id, remove: [l] }));
          if (answer) showLabels(answer.labels);
        } }))),
      (current || []).length ? null : el("span", { class: "muted", text: "no labels " }), form);
  }

  const near = await guarded(() => api("POST", "/search",
    { observationId: id, k: 8, excludeOwnObservation: true, space }));
  if (near) nearest.append(...near.hits.map(h => hitCard(h, near.space, near.target)));
}

// ---------------------------------------------------------------- the map

const NOISE = 0xffc8c8c8;

/** A cluster's colour from its id: stable between runs, as the ids are. */
function clusterColour(id) {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  const hue = (h * 137.508) % 360, s = 0.65, l = 0.45;
  const a = s * Math.min(l, 1 - l);
  const f = n => {
    const kk = (n + hue / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(kk - 3, 9 - kk, 1))));
  };
  // ImageData is RGBA in memory; a little-endian Uint32 view reads it as ABGR.
  return (0xff << 24 | f(4) << 16 | f(8) << 8 | f(0)) >>> 0;
}

/** "#rrggbb" as the little-endian ABGR word ImageData's Uint32 view reads. */
function hexColour(hex) {
  const v = parseInt(hex.slice(1), 16);
  return (0xff << 24 | (v & 0xff) << 16 | (v >> 8 & 0xff) << 8 | v >> 16) >>> 0;
}

async function mapPage() {
  const canvas = el("canvas", { id: "map", tabindex: "0", "aria-label": "cluster map" });
  const info = el("p", { class: "muted", id: "map-info",
    text: "wheel: zoom · drag: pan · shift-drag: lasso select · click a point: open it" });
  const tip = el("div", { class: "tip", hidden: true });
  const selection = el("section", { id: "selection", hidden: true });
  page.append(el("h1", { text: "Map" }), info, canvas, selection, tip);
  let points, chosen = {};
  try {
    points = await api("GET", "/map/points.json");
    // The run's colours keep neighbouring clusters apart; a summary from before them has none.
    chosen = (await api("GET", "/map/summary.json")).colours || {};
  } catch (e) {
    showError(e);
    if (!points) return;
  }
  const n = points.length;
  const xs = new Float32Array(n), ys = new Float32Array(n), colours = new Uint32Array(n);
  const byCluster = new Map();
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    xs[i] = p.x; ys[i] = p.y;
    if (p.cluster && !byCluster.has(p.cluster)) byCluster.set(p.cluster, chosen[p.cluster] ? hexColour(chosen[p.cluster]) : clusterColour(p.cluster));
    colours[i] = p.cluster ? byCluster.get(p.cluster) : NOISE;
    xmin = Math.min(xmin, p.x); xmax = Math.max(xmax, p.x); ymin = Math.min(ymin, p.y); ymax = Math.max(ymax, p.y);
  }
  const cx0 = (xmin + xmax) / 2, cy0 = (ymin + ymax) / 2;
  const view = { cx: cx0, cy: cy0, zoom: 1 };
  let selected = new Uint8Array(n), selectedCount = 0, lasso = null, pending = false, frame = null;
  const ctx = canvas.getContext("2d");
  const stats = { points: n, lastFrameMs: 0, frames: [] };
  window.viewfoldMap = stats;

  function scale() {
    const pad = 16;
    const w = canvas.clientWidth - 2 * pad, h = canvas.clientHeight - 2 * pad;
    return Math.min(w / ((xmax - xmin) || 1), h / ((ymax - ymin) || 1)) * view.zoom;
  }
  const toScreenX = (x, s) => canvas.clientWidth / 2 + (x - view.cx) * s;
  const toScreenY = (y, s) => canvas.clientHeight / 2 - (y - view.cy) * s;
  const toDataX = (px, s) => view.cx + (px - canvas.clientWidth / 2) / s;
  const toDataY = (py, s) => view.cy - (py - canvas.clientHeight / 2) / s;

  function draw() {
    pending = false;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const W = Math.max(1, Math.round(canvas.clientWidth * dpr)), H = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== W || canvas.height !== H || !frame) {
      canvas.width = W; canvas.height = H;
      frame = ctx.createImageData(W, H);
    }
    const pixels = new Uint32Array(frame.data.buffer);
    pixels.fill(0xffffffff);
    const s = scale() * dpr;
    const ox = W / 2 - view.cx * s, oy = H / 2 + view.cy * s;
    const r = Math.max(1, Math.round((n > 20000 ? 1 : 2) * dpr));
    // Noise first, clusters over it, the selection over everything (a dark ring round its colour).
    const square = (px, py, size, c) => {
      for (let dy = -size; dy <= size; dy++) {
        const row = (py + dy) * W + px;
        for (let dx = -size; dx <= size; dx++) pixels[row + dx] = c;
      }
    };
    for (let pass = 0; pass < 3; pass++) {
      const size = pass === 2 ? r + 1 : r;
      for (let i = 0; i < n; i++) {
        const isNoise = colours[i] === NOISE;
        if (pass === 0 ? !isNoise : pass === 1 ? isNoise : !selected[i]) continue;
        const px = Math.round(ox + xs[i] * s), py = Math.round(oy - ys[i] * s);
        if (px < size || py < size || px >= W - size || py >= H - size) continue;
        if (pass === 2) square(px, py, size, 0xff202020);
        square(px, py, pass === 2 ? size - 1 : size, colours[i]);
      }
    }
    ctx.putImageData(frame, 0, 0);
    if (lasso && lasso.length > 1) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.strokeStyle = "#2458c6"; ctx.lineWidth = 1.5; ctx.beginPath();
      ctx.moveTo(lasso[0][0], lasso[0][1]);
      for (const [x, y] of lasso) ctx.lineTo(x, y);
      ctx.stroke();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    stats.lastFrameMs = performance.now() - t0;
    stats.frames.push(stats.lastFrameMs);
    if (stats.frames.length > 500) stats.frames.shift();
    canvas.dataset.frames = stats.frames.length;
  }

  function redraw() {
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }

  function nearestPoint(mx, my) {
    const s = scale();
    let best = -1, bestD = 8 * 8;
    for (let i = 0; i < n; i++) {
      const dx = toScreenX(xs[i], s) - mx, dy = toScreenY(ys[i], s) - my, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  let drag = null;
  canvas.addEventListener("wheel", e => {
    e.preventDefault();
    const rect = canvas.getBoundingClientRect(), s = scale();
    const mx = e.clientX - rect.left, my = e.clientY - rect.top;
    const x = toDataX(mx, s), y = toDataY(my, s);
    view.zoom = Math.min(1e4, Math.max(0.2, view.zoom * Math.exp(-e.deltaY * 0.0015)));
    const s2 = scale(); // keep the point under the cursor where it was
    view.cx = x - (mx - canvas.clientWidth / 2) / s2;
    view.cy = y + (my - canvas.clientHeight / 2) / s2;
    redraw();
  }, { passive: false });
  canvas.addEventListener("mousedown", e => {
    const rect = canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left, my = e.clientY - rect.top;
    drag = { x: mx, y: my, cx: view.cx, cy: view.cy, moved: false };
    if (e.shiftKey) lasso = [[mx, my]];
  });
  canvas.addEventListener("mousemove", e => {
    const rect = canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left, my = e.clientY - rect.top;
    if (drag) {
      if (Math.abs(mx - drag.x) + Math.abs(my - drag.y) > 3) drag.moved = true;
      if (lasso) lasso.push([mx, my]);
      else {
        const s = scale();
        view.cx = drag.cx - (mx - drag.x) / s;
        view.cy = drag.cy + (my - drag.y) / s;
      }
      tip.hidden = true;
      redraw();
      return;
    }
    const i = nearestPoint(mx, my);
    if (i < 0) { tip.hidden = true; return; }
    const p = points[i];
    fill(tip, p.thumbnail ? image(p.thumbnail, p.id) : null, el("div", { text: p.id }),
      el("div", { text: p.cluster ? "cluster " + p.cluster + " · p " + fixed(p.probability, 2) : "noise" }));
    tip.style.left = (e.clientX + 14) + "px";
    tip.style.top = (e.clientY + 14) + "px";
    tip.hidden = false;
  });
  canvas.addEventListener("mouseleave", () => { tip.hidden = true; });
  window.addEventListener("mouseup", function up(e) {
    if (!document.body.contains(canvas)) { window.removeEventListener("mouseup", up); return; }
    if (!drag) return;
    const rect = canvas.getBoundingClientRect();
    if (lasso) {
      select(lasso);
      lasso = null;
      redraw();
    } else if (!drag.moved) {
      const i = nearestPoint(e.clientX - rect.left, e.clientY - rect.top);
      if (i >= 0) location.hash = "#/observation/" + encodeURIComponent(points[i].id);
    }
    drag = null;
  });
  canvas.addEventListener("keydown", e => {
    const step = 40 / scale();
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) { view.cx += moves[e.key][0]; view.cy += moves[e.key][1]; }
    else if (e.key === "+" || e.key === "=") view.zoom *= 1.25;
    else if (e.key === "-") view.zoom /= 1.25;
    else if (e.key === "0") { view.cx = cx0; view.cy = cy0; view.zoom = 1; }
    else return;
    e.preventDefault();
    redraw();
  });

  /** Points inside the lasso (even-odd rule), tested in data coordinates. */
  function select(polygon) {
    if (polygon.length < 3) return;
    const s = scale();
    const px = polygon.map(([x]) => toDataX(x, s)), py = polygon.map(([, y]) => toDataY(y, s));
    selected = new Uint8Array(n);
    selectedCount = 0;
    for (let i = 0; i < n; i++) {
      let inside = false;
      for (let a = 0, b = px.length - 1; a < px.length; b = a++) {
        if ((py[a] > ys[i]) !== (py[b] > ys[i])
          && xs[i] < (px[b] - px[a]) * (ys[i] - py[a]) / (py[b] - py[a]) + px[a]) inside = !inside;
      }
      if (inside) { selected[i] = 1; selectedCount++; }
    }
    showSelection();
  }

  function showSelection() {
    const ids = [];
    for (let i = 0; i < n; i++) if (selected[i]) ids.push(i);
    selection.hidden = ids.length === 0;
    if (!ids.length) return;
    const labelInput = el("input", { id: "selection-label", placeholder: "label", "aria-label": "label for the selection" });
    const progress = el("span", { class: "muted", id: "selection-progress" });
    const searchIds = ids.slice(0, 1000).map(i => points[i].id);
    fill(selection,
      el("h2", { text: selectedCount + " selected" }),
      el("div", { class: "controls-row" },
        el("button", { type: "button", class: "primary", id: "search-selection", text: "Search from selection",
          onclick: () => { pickedPhotos = []; go("search", new URLSearchParams({ q: "sel:" + searchIds.join(",") })); } }),
        labelInput,
        el("button", { type: "button", id: "label-selection", text: "Label selection", onclick: async () => {
          const label = labelInput.value.trim();
          if (!label) { showError(new Error("type a label first")); return; }
          clearError();
          let done = 0, failed = 0;
          const queue = ids.map(i => points[i].id);
          async function worker() {
            while (queue.length) {
              const id = queue.shift();
              try { await api("POST", "/labels", { observationId: id, add: [label] }); done++; }
              catch (e) { failed++; showError(e); }
              progress.textContent = "labelled " + done + " of " + ids.length + (failed ? ", " + failed + " failed" : "");
            }
          }
          await Promise.all([worker(), worker(), worker(), worker()]);
        } }),
        el("button", { type: "button", text: "Clear", onclick: () => {
          selected = new Uint8Array(n); selectedCount = 0; showSelection(); redraw();
        } }),
        progress),
      ids.length > 1000 ? el("p", { class: "muted", text: "searching from the first 1000 of them" }) : null,
      el("div", { class: "grid", id: "selected" }, ...ids.slice(0, 60).map(i => {
        const p = points[i];
        return el("div", { class: "card" }, p.thumbnail ? el("a", { href: "#/observation/" + encodeURIComponent(p.id) },
          image(p.thumbnail, p.id)) : null, el("div", { class: "body" }, observationLink(p.id), " ", clusterChip(p.cluster)));
      })),
      ids.length > 60 ? el("p", { class: "muted", text: "and " + (ids.length - 60) + " more" }) : null);
  }

  const onResize = () => redraw();
  window.addEventListener("resize", onResize);
  leavePage = () => window.removeEventListener("resize", onResize);
  info.textContent = n + " observations · " + byCluster.size + " clusters · " + info.textContent;
  redraw();
}

// ---------------------------------------------------------------- clusters

async function clustersPage() {
  page.append(el("h1", { text: "Clusters" }));
  let summary, points;
  try {
    [summary, points] = await Promise.all([api("GET", "/map/summary.json"), api("GET", "/map/points.json")]);
  } catch (e) {
    showError(e);
    return;
  }
  const c = summary.changes || {};
  const names = ids => (ids && ids.length ? ids.join(", ") : "none");
  page.append(
    el("p", {}, "Run " + summary.run + " at " + summary.startedAt + ": " + summary.observations + " observations, "
      + summary.clusters + " clusters, " + fixed(100 * summary.noiseFraction, 1) + "% noise, "
      + (summary.keptFraction === null ? "the first run (every observation new)."
        : fixed(100 * summary.keptFraction, 1) + "% of earlier placements kept their cluster id.")),
    el("p", { id: "fit" }, summary.fittedIn && summary.fittedIn !== summary.run
      ? "Clusters as fitted in run " + summary.fittedIn + "; " + summary.placedSinceFit
        + " observations new, changed or removed since were placed among them (a fit comes after "
        + fixed(100 * ((summary.settings || {}).refitAfter || 0), 0) + "%, or ask for one: cluster --refit)."
      : "Clusters fitted in this run."),
    el("ul", { id: "changes" },
      el("li", { text: "births: " + names(c.births) }),
      el("li", { text: "deaths: " + names(c.deaths) }),
      el("li", { text: "splits: " + ((c.splits || []).map(s => s.from + " → " + s.into.join(" + ")).join("; ") || "none") }),
      el("li", { text: "merges: " + ((c.merges || []).map(m => m.from.join(" + ") + " → " + m.into).join("; ") || "none") }),
      el("li", { text: "new observations: " + (c.newObservations || 0) + ", moved: " + (c.moved || 0)
        + ", into noise: " + (c.intoNoise || 0) + ", out of noise: " + (c.outOfNoise || 0) })),
    ...(summary.warnings || []).map(w => el("p", { class: "warning", text: "⚠ " + w })));

  const members = new Map();
  for (const p of points) {
    if (!p.cluster) continue;
    if (!members.has(p.cluster)) members.set(p.cluster, []);
    members.get(p.cluster).push(p);
  }
  const clusters = [...members.entries()].sort((a, b) => b[1].length - a[1].length);
  const gallery = el("div", { id: "gallery" });
  page.append(gallery);
  let shown = 0;
  function more() {
    for (const [id, ps] of clusters.slice(shown, shown + 30)) {
      const typical = [...ps].sort((a, b) => b.probability - a.probability || a.outlierScore - b.outlierScore).slice(0, 5);
      const outlying = [...ps].sort((a, b) => b.outlierScore - a.outlierScore).slice(0, 3);
      const figure = (p, note) => el("figure", {}, p.thumbnail
        ? el("a", { href: "#/observation/" + encodeURIComponent(p.id) }, image(p.thumbnail, p.id)) : null,
        el("figcaption", {}, observationLink(p.id), el("div", { class: "muted", text: note })));
      gallery.append(el("section", { class: "group", "data-cluster": id },
        el("h2", {}, "cluster " + id + " · " + ps.length + " observations ",
          el("a", { href: "#/search?" + new URLSearchParams({ q: "obs:" + typical[0].id, cluster: id }), text: "search inside" })),
        el("div", { class: "row" },
          el("span", { class: "muted", text: "most typical" }),
          ...typical.map(p => figure(p, "p " + fixed(p.probability, 2))),
          el("span", { class: "muted", text: "most outlying" }),
          ...outlying.map(p => figure(p, "outlier " + fixed(p.outlierScore, 2))))));
    }
    shown += 30;
    button.hidden = shown >= clusters.length;
  }
  const button = el("button", { type: "button", text: "More clusters", onclick: more });
  page.append(button);
  more();
}

// ---------------------------------------------------------------- duplicates

// From src/bench/RESULTS.md (DuplicateCalibration): precision and recall of "cosine ≥ threshold" on
// mirrored or cropped re-uploads of photos (Caltech-101 + Flowers), and on COIL-100 views 5° apart.
const CALIBRATION = [
  [0.85, 0.593, 0.987, 0.338, 0.999], [0.88, 0.818, 0.947, 0.643, 0.995], [0.90, 0.913, 0.859, 0.815, 0.987],
  [0.92, 0.951, 0.699, 0.920, 0.962], [0.94, 0.960, 0.492, 0.964, 0.878], [0.95, 0.954, 0.359, 0.976, 0.768],
  [0.96, 0.936, 0.196, 0.989, 0.556]];

function duplicatesPage(r) {
  const threshold = Number(r.params.get("t") || 0.92);
  const slider = el("input", { type: "range", id: "threshold", min: 0.8, max: 0.99, step: 0.01, value: threshold,
    "aria-label": "threshold" });
  const value = el("output", { for: "threshold", text: threshold.toFixed(2) });
  const table = el("table", { id: "calibration" },
    el("tr", {}, el("th", { text: "threshold" }), el("th", { text: "re-uploads: precision" }),
      el("th", { text: "recall" }), el("th", { text: "views 5° apart: precision" }), el("th", { text: "recall" })));
  const rows = CALIBRATION.map(([t, ...figures]) => {
    const row = el("tr", {}, el("td", { text: t.toFixed(2) }), ...figures.map(f => el("td", { text: f.toFixed(3) })));
    table.append(row);
    return [t, row];
  });
  const find = el("button", { type: "submit", class: "primary", text: "Find groups" });
  const form = el("form", { class: "controls" }, el("label", { for: "threshold" }, "cosine threshold", slider), value, find);
  const summary = el("p", { class: "muted", id: "dup-summary" });
  const groups = el("div", { id: "groups" });
  page.append(el("h1", { text: "Duplicates" }),
    el("p", { class: "muted", text: "Nothing is deleted here: a decision is recorded for you to act on." }),
    form, table, summary, groups);

  function mark() {
    const t = Number(slider.value);
    value.textContent = t.toFixed(2);
    for (const [rt, row] of rows) row.classList.toggle("current", Math.abs(rt - t) < 0.005);
  }
  slider.addEventListener("input", mark);
  mark();
  form.addEventListener("submit", e => {
    e.preventDefault();
    go("duplicates", new URLSearchParams({ t: Number(slider.value).toFixed(2) }));
    if (Number(r.params.get("t") || 0.92).toFixed(2) === Number(slider.value).toFixed(2)) load();
  });

  async function load() {
    summary.textContent = "finding groups…";
    const [answer, decided] = await Promise.all([
      guarded(() => api("POST", "/duplicates", { threshold: Number(slider.value), target: "images", limit: 200 })),
      guarded(() => api("GET", "/decisions"))]);
    if (!answer) { summary.textContent = ""; return; }
    const decisions = new Map((decided ? decided.decisions : []).map(d => [[...d.ids].sort().join("\n"), d]));
    summary.textContent = answer.groupCount + " groups at cosine ≥ " + fixed(answer.threshold, 2)
      + (answer.groups.length < answer.groupCount ? " (the first " + answer.groups.length + " shown)" : "");
    groups.replaceChildren(...answer.groups.map(g => groupCard(g, decisions.get([...g.ids].sort().join("\n")))));
  }

  function groupCard(g, decision) {
    const state = el("p", { class: "decided" });
    const card = el("section", { class: "group duplicate" });
    const show = d => {
      state.textContent = !d ? "" : d.decision === "keep-one" ? "decided: keep " + d.keep : "decided: not duplicates";
      card.dataset.decision = d ? d.decision : "";
    };
    const decide = async (decision, keep) => {
      const d = await guarded(() => api("POST", "/decide", { ids: g.ids, decision, keep }));
      if (d) show(d);
    };
    card.append(
      el("div", { class: "muted", text: g.ids.length + " photos · closest pair " + fixed(g.closestScore)
        + " · weakest link " + fixed(g.weakestLink) }),
      el("div", { class: "row" }, ...g.ids.map(id => el("figure", {}, image(id),
        el("figcaption", { class: "muted", text: id.split("/").slice(-2).join("/") }),
        el("button", { type: "button", class: "keep", text: "Keep this one", onclick: () => decide("keep-one", id) })))),
      el("button", { type: "button", class: "not-duplicates", text: "Not duplicates",
        onclick: () => decide("not-duplicates") }),
      state);
    show(decision);
    return card;
  }

  load();
}

// ---------------------------------------------------------------- start

render();
pollStatus();
setInterval(() => { if (!document.hidden) pollStatus(); }, 2000);
