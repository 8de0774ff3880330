// The three linked panels of the zonotope explorer page (written by zonotope.plotting.export_html).
// Plotly draws and handles interaction (dragging shapes, hover events); this file only holds the
// geometry that must be recomputed in the browser after a drag: the chambers of the central
// arrangement {w : w . (x_i, 1) = 0} in R^3 (as sign vectors), the zonotope vertices
// sum_{i active} (x_i, 1), its edges, and the chamber polygons on the slice w_3 = +1.
// Arithmetic is double precision; it is exact for coordinates on the snap grid (dyadic numbers
// with few bits), which is where dragged points land.  The initial state is also computed exactly
// in Python; the page keeps both counts (window.zonotopeExplorer.pythonChambers) for checking.
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("zx-config").textContent);
  const PAL = CFG.palette;
  const HL = CFG.highlight;

  const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const norm = (a) => Math.sqrt(dot(a, a));
  const sgn = (v, scale) => (Math.abs(v) <= 1e-12 * scale ? 0 : v > 0 ? 1 : -1);

  function chambers(X) {
    const G = X.map((p) => [p[0], p[1], 1]);
    const N = G.length;
    const scale = Math.max(1, ...G.map((g) => norm(g))) ** 3;
    const rays = [];
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        const r = cross(G[i], G[j]);
        if (norm(r) > 1e-12 * scale) rays.push(r, r.map((v) => -v));
      }
    const keys = new Set();
    if (!rays.length) {             // one point, or all points equal: two chambers
      keys.add("0".repeat(N));
      keys.add("1".repeat(N));
    }
    for (const r of rays) {
      const s = G.map((g) => sgn(dot(g, r), scale));
      const Z = [];
      s.forEach((v, k) => { if (v === 0) Z.push(k); });
      // a basis (u, v) of the plane orthogonal to r; sectors between the lines n_k . d = 0
      const rn = r.map((t) => t / norm(r));
      let u = cross(rn, Math.abs(rn[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]);
      u = u.map((t) => t / norm(u));
      const v = cross(rn, u);
      const ang = [];
      for (const k of Z) {
        const t = cross(rn, G[k]);            // along the line n_k . d = 0 in the plane
        const a = Math.atan2(dot(t, v), dot(t, u));
        ang.push(a, a + Math.PI);
      }
      const A = ang.map((a) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)).sort((p, q) => p - q);
      for (let m = 0; m < A.length; m++) {
        const a0 = A[m], a1 = m + 1 < A.length ? A[m + 1] : A[0] + 2 * Math.PI;
        if (a1 - a0 < 1e-12) continue;
        const th = (a0 + a1) / 2;
        const d = [0, 1, 2].map((c) => Math.cos(th) * u[c] + Math.sin(th) * v[c]);
        const sv = s.slice();
        for (const k of Z) sv[k] = dot(G[k], d) > 0 ? 1 : -1;
        keys.add(sv.map((t) => (t > 0 ? "1" : "0")).join(""));
      }
    }
    return Array.from(keys).sort();
  }

  function groups(X) {             // equal points give one hyperplane: flip together
    const ids = [], seen = new Map();
    X.forEach((p) => {
      const k = p[0] + "," + p[1];
      if (!seen.has(k)) seen.set(k, seen.size);
      ids.push(seen.get(k));
    });
    return ids;
  }

  function geometry(X) {
    const pats = chambers(X);
    const G = X.map((p) => [p[0], p[1], 1]);
    const V = pats.map((pat) => {
      const v = [0, 0, 0];
      for (let i = 0; i < pat.length; i++) if (pat[i] === "1") for (let c = 0; c < 3; c++) v[c] += G[i][c];
      return v;
    });
    const gid = groups(X);
    const E = [];
    for (let a = 0; a < pats.length; a++)
      for (let b = a + 1; b < pats.length; b++) {
        const diff = new Set();
        for (let i = 0; i < gid.length; i++) if (pats[a][i] !== pats[b][i]) diff.add(gid[i]);
        if (diff.size === 1) E.push([a, b]);
      }
    return { pats, V, E, box: sliceBox(X) };
  }

  function sliceBox(X) {
    const P = [[0, 0]];
    for (let i = 0; i < X.length; i++)
      for (let j = i + 1; j < X.length; j++) {
        const [a, b] = X[i], [c, d] = X[j], det = a * d - b * c;
        if (Math.abs(det) > 1e-12) P.push([(-d + b) / det, (c - a) / det]);   // x_i.w = -1, x_j.w = -1
      }
    let x0 = Math.min(...P.map((p) => p[0])), x1 = Math.max(...P.map((p) => p[0]));
    let y0 = Math.min(...P.map((p) => p[1])), y1 = Math.max(...P.map((p) => p[1]));
    const pad = 0.25 * Math.max(x1 - x0, y1 - y0, 1);
    return [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
  }

  function clip(poly, a, b) {       // keep a . p + b >= 0
    const out = [];
    for (let k = 0; k < poly.length; k++) {
      const P = poly[k], Q = poly[(k + 1) % poly.length];
      const fp = a[0] * P[0] + a[1] * P[1] + b, fq = a[0] * Q[0] + a[1] * Q[1] + b;
      if (fp >= 0) out.push(P);
      if ((fp >= 0) !== (fq >= 0)) {
        const t = fp / (fp - fq);
        out.push([P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])]);
      }
    }
    return out;
  }

  function area(P) {
    let s = 0;
    for (let k = 0; k < P.length; k++) {
      const [a, b] = P[k], [c, d] = P[(k + 1) % P.length];
      s += a * d - b * c;
    }
    return s / 2;
  }

  const state = {
    X: CFG.points.map((p) => p.slice()), X0: CFG.points.map((p) => p.slice()), selected: null,
    hovered: null, geo: null, ready: false, pythonChambers: CFG.python_n_chambers, log: [],
  };
  window.zonotopeExplorer = state;
  const $ = (id) => document.getElementById(id);
  const color = (k) => PAL[k % PAL.length];
  const active = (pat) => Array.from(pat).map((c, i) => (c === "1" ? i : -1)).filter((i) => i >= 0);

  function dataFigure() {
    const X = state.X, sel = state.hovered ?? state.selected;
    const act = sel === null ? [] : active(state.geo.pats[sel]);
    const xs = X.map((p) => p[0]), ys = X.map((p) => p[1]);
    const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
    const r = 0.045 * span;
    const shapes = X.map((p, i) => ({
      type: "circle", xref: "x", yref: "y", x0: p[0] - r, x1: p[0] + r, y0: p[1] - r, y1: p[1] + r,
      fillcolor: act.includes(i) ? HL : "#1f77b4", opacity: 0.85, line: { color: "black", width: 1 },
      name: "x" + i,
    }));
    const traces = [{
      x: xs, y: ys, mode: "text", text: X.map((_, i) => "x" + i), textposition: "top right",
      hovertext: X.map((p, i) => `x${i} = (${p[0]}, ${p[1]})`), hoverinfo: "text", showlegend: false,
      textfont: { size: 14 },
    }];
    const pad = 0.35 * span;
    return {
      data: traces,
      layout: {
        title: { text: "(a) data: drag a point", font: { size: 15 } }, shapes,
        xaxis: { range: [Math.min(...xs) - pad, Math.max(...xs) + pad], zeroline: false, title: "x1" },
        yaxis: { range: [Math.min(...ys) - pad, Math.max(...ys) + pad], zeroline: false, title: "x2",
                 scaleanchor: "x" },
        margin: { l: 50, r: 10, t: 50, b: 45 }, dragmode: false,
      },
    };
  }

  function arrangementFigure() {
    const X = state.X, g = state.geo, [x0, x1, y0, y1] = g.box;
    const sel = state.hovered ?? state.selected;
    const traces = [];
    state.visible = [];
    g.pats.forEach((pat, k) => {
      let poly = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
      for (let i = 0; i < X.length && poly.length >= 3; i++) {
        const s = pat[i] === "1" ? 1 : -1;
        poly = clip(poly, [s * X[i][0], s * X[i][1]], s);
      }
      if (poly.length < 3 || Math.abs(area(poly)) < 1e-12) return;
      state.visible.push(k);
      const P = poly.concat([poly[0]]);
      traces.push({
        x: P.map((p) => p[0]), y: P.map((p) => p[1]), fill: "toself", mode: "lines",
        fillcolor: color(k), opacity: sel === k ? 0.95 : 0.55,
        line: { color: sel === k ? "black" : "rgba(0,0,0,0)", width: sel === k ? 3 : 0 },
        hoveron: "fills", hoverinfo: "text", text: `chamber ${k}: pattern ${pat}`,
        name: "chamber " + k, showlegend: false, meta: k,
      });
    });
    const lx = [], ly = [];
    X.forEach((p) => {           // the line x_i . w = -1 on the slice w_3 = +1
      const [a, b] = p;
      if (a === 0 && b === 0) return;
      const n2 = a * a + b * b, p0 = [-a / n2, -b / n2], d = [-b, a], T = 10 * (x1 - x0 + y1 - y0);
      lx.push(p0[0] - T * d[0], p0[0] + T * d[0], null);
      ly.push(p0[1] - T * d[1], p0[1] + T * d[1], null);
    });
    traces.push({ x: lx, y: ly, mode: "lines", line: { color: "#222", width: 1.5 }, hoverinfo: "skip",
                  name: "hyperplanes", showlegend: false });
    return {
      data: traces,
      layout: {
        title: { text: `(b) arrangement, slice w<sub>3</sub> = +1: ${state.visible.length} of ` +
                       `${g.pats.length} chambers`, font: { size: 15 } },
        xaxis: { range: [x0, x1], zeroline: false, title: "w1" },
        yaxis: { range: [y0, y1], zeroline: false, title: "w2", scaleanchor: "x" },
        margin: { l: 50, r: 10, t: 50, b: 45 }, hovermode: "closest", dragmode: false,
      },
    };
  }

  function zonotopeFigure() {
    const g = state.geo, V = g.V, sel = state.hovered ?? state.selected;
    const ex = [], ey = [], ez = [];
    g.E.forEach(([a, b]) => {
      ex.push(V[a][0], V[b][0], null);
      ey.push(V[a][1], V[b][1], null);
      ez.push(V[a][2], V[b][2], null);
    });
    const traces = [];
    if (V.length >= 4)
      traces.push({ type: "mesh3d", x: V.map((v) => v[0]), y: V.map((v) => v[1]), z: V.map((v) => v[2]),
                    alphahull: 0, color: CFG.face, opacity: 0.35, hoverinfo: "skip", name: "faces" });
    traces.push({ type: "scatter3d", x: ex, y: ey, z: ez, mode: "lines", line: { color: "#333", width: 4 },
                  hoverinfo: "skip", name: "edges", showlegend: false });
    traces.push({ type: "scatter3d", x: V.map((v) => v[0]), y: V.map((v) => v[1]), z: V.map((v) => v[2]),
                  mode: "markers", marker: { size: 5, color: V.map((_, k) => color(k)),
                  line: { color: "black", width: 1 } },
                  text: g.pats.map((p, k) => `vertex ${k}: pattern ${p}<br>(${V[k].join(", ")})`),
                  hoverinfo: "text", name: "vertices", showlegend: false });
    const s = sel === null ? [] : [V[sel]];
    traces.push({ type: "scatter3d", x: s.map((v) => v[0]), y: s.map((v) => v[1]), z: s.map((v) => v[2]),
                  mode: "markers", marker: { size: 11, color: HL, symbol: "diamond",
                  line: { color: "black", width: 2 } }, hoverinfo: "skip", name: "selected vertex",
                  showlegend: false });
    return {
      data: traces,
      layout: {
        title: { text: `(c) zonotope: ${V.length} vertices, ${g.E.length} edges`, font: { size: 15 } },
        scene: { aspectmode: "data", xaxis: { title: "z1" }, yaxis: { title: "z2" }, zaxis: { title: "z3" },
                 camera: { eye: { x: 1.5, y: -1.5, z: 0.9 } } },
        margin: { l: 0, r: 0, t: 50, b: 0 }, uirevision: "keep",
      },
    };
  }

  function status() {
    const g = state.geo, sel = state.hovered ?? state.selected;
    let txt = `${state.X.length} points, ${g.pats.length} chambers = zonotope vertices`;
    if (sel !== null) {
      const act = active(g.pats[sel]);
      txt += ` | chamber ${sel}: pattern ${g.pats[sel]}, active examples {${act.join(", ")}}, ` +
             `vertex (${g.V[sel].join(", ")})`;
    }
    $("zx-status").textContent = txt;
  }

  const CONF = { displaylogo: false, responsive: true };
  function draw(which) {
    const all = which === undefined;
    if (all || which.includes("a")) Plotly.react("zx-data", ...Object.values(dataFigure()),
                                                 { ...CONF, edits: { shapePosition: true } });
    if (all || which.includes("b")) Plotly.react("zx-arr", ...Object.values(arrangementFigure()), CONF);
    if (all || which.includes("c")) Plotly.react("zx-zono", ...Object.values(zonotopeFigure()), CONF);
    status();
  }

  function recompute() {
    const old = state.geo ? state.geo.pats : null;
    const pat = state.selected === null || !old ? null : old[state.selected];
    state.geo = geometry(state.X);
    state.hovered = null;
    state.selected = pat === null ? null : (state.geo.pats.indexOf(pat) >= 0 ? state.geo.pats.indexOf(pat) : null);
    state.log.push(state.geo.pats.length);
    return state.geo.pats.length;
  }
  state.recompute = recompute;
  state.chambers = chambers;

  function snap(v) {
    return CFG.snap > 0 ? Math.round(v / CFG.snap) * CFG.snap : v;
  }

  function movePoint(i, x, y) {
    const p = [snap(x), snap(y)];
    if (p[0] === state.X[i][0] && p[1] === state.X[i][1]) { draw("a"); return false; }
    state.X[i] = p;
    recompute();
    draw();
    return true;
  }
  state.movePoint = movePoint;

  function hover(k) {
    if (state.hovered === k) return;
    state.hovered = k;
    draw("ac");
    // outline in panel (b) without rebuilding it (keeps the hover alive)
    const gd = $("zx-arr");
    const idx = [], op = [], lc = [], lw = [];
    gd.data.forEach((t, n) => {
      if (t.meta === undefined) return;
      idx.push(n);
      op.push(t.meta === (k ?? state.selected) ? 0.95 : 0.55);
      lc.push(t.meta === (k ?? state.selected) ? "black" : "rgba(0,0,0,0)");
      lw.push(t.meta === (k ?? state.selected) ? 3 : 0);
    });
    Plotly.restyle(gd, { opacity: op, "line.color": lc, "line.width": lw }, idx);
  }

  function wire() {
    $("zx-data").on("plotly_relayout", (ev) => {
      for (const key of Object.keys(ev)) {
        const m = key.match(/^shapes\[(\d+)\]\.x0$/);
        if (!m) continue;
        const i = Number(m[1]);
        const x = (ev[`shapes[${i}].x0`] + ev[`shapes[${i}].x1`]) / 2;
        const y = (ev[`shapes[${i}].y0`] + ev[`shapes[${i}].y1`]) / 2;
        movePoint(i, x, y);
        return;
      }
    });
    $("zx-arr").on("plotly_hover", (ev) => {
      const t = ev.points[0].data;
      if (t.meta !== undefined) hover(t.meta);
    });
    $("zx-arr").on("plotly_unhover", () => hover(null));
    $("zx-arr").on("plotly_click", (ev) => {
      const t = ev.points[0].data;
      if (t.meta !== undefined) { state.selected = t.meta; state.hovered = null; draw(); }
    });
    $("zx-zono").on("plotly_hover", (ev) => {
      const p = ev.points[0];
      if (p.data.name === "vertices") hover(p.pointNumber);
    });
    $("zx-reset").addEventListener("click", () => {
      state.X = state.X0.map((p) => p.slice());
      recompute();
      draw();
    });
  }

  recompute();
  if (CFG.selected !== null) state.selected = state.geo.pats.indexOf(CFG.selected);
  if (state.selected < 0) state.selected = null;
  draw();
  wire();
  state.ready = true;
})();
