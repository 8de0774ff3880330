// The three linked panels of the zonotope explorer page (written by zonotope.plotting.export_html).
// Plotly draws and handles interaction (dragging shapes, hover events); this file only holds the
// geometry that must be recomputed in the browser after a move: the chambers of the central
// arrangement {v : v . (x_i, 1) = 0} in R^(d+1) (sign vectors, any d <= 3), the zonotope vertices
// sum_{i active} (x_i, 1), its edges, and what panel (b) shows: for 1-D data the sectors of the
// (w, b) plane, for 2-D data the chamber polygons on the slice w_3 = +1, for 3-D data one marker
// per chamber in the affine chart b = +1 or b = -1 (planes w . x_i = -+1 in R^3).
// Arithmetic is double precision; it is exact for coordinates on the snap grid (dyadic numbers
// with few bits), which is where dragged points land.  The initial state is also computed exactly
// in Python; the page keeps both counts (window.zonotopeExplorer.pythonChambers) for checking.
(function () {
  "use strict";
  const CFG = JSON.parse(document.getElementById("zx-config").textContent);
  const PAL = CFG.palette;
  const HL = CFG.highlight;
  const DIM = CFG.points[0].length;

  const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const norm = (a) => Math.sqrt(dot(a, a));
  const sgn = (v, scale) => (Math.abs(v) <= 1e-12 * scale ? 0 : v > 0 ? 1 : -1);

  // ---------------------------------------------------------------- chambers in any dimension
  // Chambers of the central arrangement {v : g . v = 0, g in M} in R^n (n <= 4), each with an
  // interior point.  A pointed chamber has an extreme ray in its closure: the kernel of n - 1
  // independent rows (their generalised cross product).  Around a ray r the chambers are
  // sign(g . r) for the rows off r and, for the rows through r, the chambers of their own
  // (lower-rank) arrangement: recursion.  A rank-deficient arrangement is reduced to an
  // essential one by keeping a set of independent columns (same column space, hence the same
  // sign vectors).  Cofactors and dot products of grid coordinates are exact in doubles.
  function det(A) {
    const k = A.length;
    if (k === 0) return 1;
    if (k === 1) return A[0][0];
    if (k === 2) return A[0][0] * A[1][1] - A[0][1] * A[1][0];
    return A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1])
         - A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0])
         + A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
  }
  function crossN(rows, n) {          // the vector orthogonal to n - 1 rows (cofactors)
    const r = [];
    for (let j = 0; j < n; j++) {
      const minor = rows.map((row) => row.filter((_, c) => c !== j));
      r.push((j % 2 === 0 ? 1 : -1) * det(minor));
    }
    return r;
  }
  const dotN = (a, b) => a.reduce((t, v, c) => t + v * b[c], 0);
  const normN = (a) => Math.sqrt(dotN(a, a));
  function pivotCols(M, n) {         // independent columns (elimination with partial pivoting)
    const A = M.map((r) => r.slice()), cols = [];
    const big = Math.max(1e-300, ...A.map((r) => Math.max(...r.map(Math.abs))));
    let row = 0;
    for (let c = 0; c < n && row < A.length; c++) {
      let piv = row;
      for (let i = row + 1; i < A.length; i++) if (Math.abs(A[i][c]) > Math.abs(A[piv][c])) piv = i;
      if (Math.abs(A[piv][c]) <= 1e-12 * big) continue;
      [A[row], A[piv]] = [A[piv], A[row]];
      for (let i = row + 1; i < A.length; i++) {
        const f = A[i][c] / A[row][c];
        for (let j = c; j < n; j++) A[i][j] -= f * A[row][j];
      }
      cols.push(c);
      row++;
    }
    return cols;
  }
  function subsets(N, k) {
    const out = [], cur = [];
    (function rec(start) {
      if (cur.length === k) { out.push(cur.slice()); return; }
      for (let i = start; i < N; i++) { cur.push(i); rec(i + 1); cur.pop(); }
    })(0);
    return out;
  }
  function enumerate(M, n) {          // -> [{s: [+-1 per row], p: interior point in R^n}]
    if (!M.length) return [{ s: [], p: new Array(n).fill(0), pts: [new Array(n).fill(0)] }];
    const cols = pivotCols(M, n);
    if (cols.length < n) {
      const sub = enumerate(M.map((r) => cols.map((c) => r[c])), cols.length);
      const lift = (p) => {
        const q = new Array(n).fill(0);
        cols.forEach((c, j) => { q[c] = p[j]; });
        return q;
      };
      return sub.map(({ s, p, pts }) => ({ s, p: lift(p), pts: (pts || [p]).map(lift) }));
    }
    if (n === 1)
      return [{ s: M.map((r) => Math.sign(r[0])), p: [1], pts: [[1]] },
              { s: M.map((r) => -Math.sign(r[0])), p: [-1], pts: [[-1]] }];
    const out = new Map(), rays = new Set();
    for (const S of subsets(M.length, n - 1)) {
      const r0 = crossN(S.map((i) => M[i]), n);
      const nr = normN(r0);
      if (nr === 0) continue;
      for (const sg of [1, -1]) {
        const r = r0.map((v) => sg * v);
        const s = M.map((g) => { const v = dotN(g, r); return Math.abs(v) <= 1e-12 * normN(g) * nr ? 0 : Math.sign(v); });
        const key = s.join(",");
        if (rays.has(key)) continue;
        rays.add(key);
        const Zi = [];
        s.forEach((v, i) => { if (v === 0) Zi.push(i); });
        for (const loc of enumerate(Zi.map((i) => M[i]), n)) {
          const d = loc.p;
          let eps = 1;
          M.forEach((g, i) => {
            if (s[i] === 0) return;
            const gd = dotN(g, d);
            if (gd * s[i] < 0) eps = Math.min(eps, 0.5 * Math.abs(dotN(g, r)) / Math.abs(gd));
          });
          const full = s.slice();
          Zi.forEach((i, j) => { full[i] = loc.s[j]; });
          const kk = full.join(",");
          const p = r.map((v, c) => v / nr + eps * d[c] / Math.max(normN(d), 1e-300));
          if (!out.has(kk)) out.set(kk, { s: full, p, pts: [] });
          out.get(kk).pts.push(p);
        }
      }
    }
    return Array.from(out.values());
  }

  function chambers(X) {             // the 0/1 patterns of the data arrangement, sorted
    const G = X.map((p) => p.concat([1]));
    return enumerate(G, G[0].length).map(({ s }) => s.map((t) => (t > 0 ? "1" : "0")).join("")).sort();
  }

  function groups(X) {             // equal points give one hyperplane: flip together
    const ids = [], seen = new Map();
    X.forEach((p) => {
      const k = p.join(",");
      if (!seen.has(k)) seen.set(k, seen.size);
      ids.push(seen.get(k));
    });
    return ids;
  }

  function geometry(X) {
    const pats = chambers(X);
    const G = X.map((p) => p.concat([1]));
    const n = G[0].length;
    const V = pats.map((pat) => {
      const v = new Array(n).fill(0);
      for (let i = 0; i < pat.length; i++) if (pat[i] === "1") for (let c = 0; c < n; c++) v[c] += G[i][c];
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
    return { pats, V, E, box: DIM === 2 ? sliceBox(X) : null, chart: DIM === 3 ? charts(X, pats) : null };
  }


  // ---------------------------------------------------------------- 3-D data: the charts b = +-1
  // A chamber meets {b > 0} exactly when it contains a chamber of the arrangement refined by
  // the hyperplane b = 0 on the side b > 0; that refined chamber's interior points, scaled to
  // b = 1, lie in the chart's region (a convex set), so their mean is a point of the region.
  function charts(X, pats) {
    const G = X.map((p) => p.concat([1]));
    const ref = enumerate(G.concat([[0, 0, 0, 1]]), 4);
    const out = { 1: [], "-1": [] };
    for (const { s, pts } of ref) {
      const side = s[s.length - 1];
      const pat = s.slice(0, -1).map((t) => (t > 0 ? "1" : "0")).join("");
      const k = pats.indexOf(pat);
      const sc = pts.map((q) => [q[0] / Math.abs(q[3]), q[1] / Math.abs(q[3]), q[2] / Math.abs(q[3]),
                                 Math.abs(q[3]) / normN(q)]);
      const good = sc.filter((q) => q[3] >= 0.05);
      let w;
      if (good.length) w = [0, 1, 2].map((c) => good.reduce((t, q) => t + q[c], 0) / good.length);
      else w = sc.reduce((a, b) => (b[3] > a[3] ? b : a)).slice(0, 3);
      out[side].push({ k, w });
    }
    for (const side of [1, -1]) {
      const pts = out[side].map((m) => m.w);
      for (const S of subsets(X.length, 3)) {       // crossings of three planes x . w = -side
        const A = S.map((i) => X[i]), D = det(A);
        if (Math.abs(D) < 1e-12) continue;
        const w = [0, 1, 2].map((c) => det(A.map((row, r) => row.map((v, j) => (j === c ? -side : v)))) / D);
        pts.push(w);
      }
      const lo = [0, 1, 2].map((c) => Math.min(...pts.map((q) => q[c])));
      const hi = [0, 1, 2].map((c) => Math.max(...pts.map((q) => q[c])));
      const pad = 0.15 * Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], 1e-9);
      out[side].box = [lo.map((v) => v - pad), hi.map((v) => v + pad)];
      out[side].sort((a, b) => a.k - b.k);
    }
    return out;
  }

  function planePolygon(a, c, lo, hi) {    // {w : a . w = c} inside the box, ordered
    const pts = [];
    for (let m = 0; m < 8; m++) {
      const P = [0, 1, 2].map((j) => ((m >> j) & 1 ? hi[j] : lo[j]));
      for (let j = 0; j < 3; j++) {
        if ((m >> j) & 1) continue;
        const Q = P.slice();
        Q[j] = hi[j];
        const fp = dotN(a, P) - c, fq = dotN(a, Q) - c;
        if (fp === 0) pts.push(P);
        if ((fp < 0) !== (fq < 0) && fq !== 0) pts.push(P.map((v, t) => v + (fp / (fp - fq)) * (Q[t] - v)));
      }
    }
    if (pts.length < 3) return null;
    const m = [0, 1, 2].map((j) => pts.reduce((t, q) => t + q[j], 0) / pts.length);
    const n = a.map((v) => v / normN(a));
    let u = cross(n, Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]);
    u = u.map((v) => v / norm(u));
    const v = cross(n, u);
    return pts.map((q) => [q, Math.atan2(dot(q.map((t, j) => t - m[j]), v), dot(q.map((t, j) => t - m[j]), u))])
      .sort((x, y) => x[1] - y[1]).map((x) => x[0]);
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
    point: 0, side: 1, dim: CFG.points[0].length,
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


  // ---------------------------------------------------------------- 1-D data
  function dataFigure1() {
    const X = state.X, sel = state.hovered ?? state.selected;
    const act = sel === null ? [] : active(state.geo.pats[sel]);
    const xs = X.map((p) => p[0]);
    const span = Math.max(Math.max(...xs) - Math.min(...xs), 1), r = 0.03 * span, pad = 0.2 * span;
    const shapes = X.map((p, i) => ({
      type: "circle", xref: "x", yref: "y", x0: p[0] - r, x1: p[0] + r, y0: -r, y1: r,
      fillcolor: act.includes(i) ? HL : "#1f77b4", opacity: 0.85, line: { color: "black", width: 1 },
      name: "x" + i,
    }));
    return {
      data: [{ x: xs, y: xs.map(() => 2.2 * r), mode: "text", text: X.map((_, i) => "x" + i),
               textposition: "top center", hovertext: X.map((p, i) => `x${i} = ${p[0]}`),
               hoverinfo: "text", showlegend: false, textfont: { size: 14 } }],
      layout: {
        title: { text: "(a) data on a line: drag a point sideways", font: { size: 15 } }, shapes,
        xaxis: { range: [Math.min(...xs) - pad, Math.max(...xs) + pad], zeroline: false, title: "x" },
        yaxis: { range: [-0.3 * span, 0.3 * span], showticklabels: false, zeroline: true,
                 scaleanchor: "x" },
        margin: { l: 30, r: 10, t: 50, b: 45 }, dragmode: false,
      },
    };
  }

  function sectors(X, pats) {       // chamber k's sector of the (w, b) plane, as angles
    const A = [];
    X.forEach((p) => { const a = Math.atan2(-p[0], 1); A.push(a, a + Math.PI); });
    const T = A.map((a) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)).sort((p, q) => p - q);
    const U = T.filter((a, m) => m === 0 || a - T[m - 1] > 1e-12);
    const out = [];
    for (let m = 0; m < U.length; m++) {
      const a0 = U[m], a1 = m + 1 < U.length ? U[m + 1] : U[0] + 2 * Math.PI;
      const th = (a0 + a1) / 2, d = [Math.cos(th), Math.sin(th)];
      const pat = X.map((p) => (p[0] * d[0] + d[1] > 0 ? "1" : "0")).join("");
      out.push({ k: pats.indexOf(pat), a0, a1 });
    }
    return out;
  }

  function arrangementFigure1() {
    const X = state.X, g = state.geo, sel = state.hovered ?? state.selected;
    const traces = [];
    state.visible = [];
    for (const { k, a0, a1 } of sectors(X, g.pats)) {
      state.visible.push(k);
      const P = [[0, 0]];
      for (let t = 0; t <= 24; t++) { const a = a0 + (a1 - a0) * t / 24; P.push([Math.cos(a), Math.sin(a)]); }
      P.push([0, 0]);
      traces.push({
        x: P.map((p) => p[0]), y: P.map((p) => p[1]), fill: "toself", mode: "lines",
        fillcolor: color(k), opacity: sel === k ? 0.95 : 0.55,
        line: { color: sel === k ? "black" : "rgba(0,0,0,0)", width: sel === k ? 3 : 0 },
        hoveron: "fills", hoverinfo: "text", text: `chamber ${k}: pattern ${g.pats[k]}`,
        name: "chamber " + k, showlegend: false, meta: k,
      });
    }
    const lx = [], ly = [];
    X.forEach((p) => {            // the line w x_i + b = 0: direction (1, -x_i)
      const d = [1, -p[0]], n = Math.hypot(d[0], d[1]);
      lx.push(-1.2 * d[0] / n, 1.2 * d[0] / n, null);
      ly.push(-1.2 * d[1] / n, 1.2 * d[1] / n, null);
    });
    traces.push({ x: lx, y: ly, mode: "lines", line: { color: "#222", width: 1.5 }, hoverinfo: "skip",
                  name: "hyperplanes", showlegend: false });
    return {
      data: traces,
      layout: {
        title: { text: `(b) arrangement in the (w, b) plane: lines w x<sub>i</sub> + b = 0, ` +
                       `${g.pats.length} chambers`, font: { size: 15 } },
        xaxis: { range: [-1.25, 1.25], zeroline: false, title: "w" },
        yaxis: { range: [-1.25, 1.25], zeroline: false, title: "b", scaleanchor: "x" },
        margin: { l: 50, r: 10, t: 50, b: 45 }, hovermode: "closest", dragmode: false,
      },
    };
  }

  function zonotopeFigure1() {
    const g = state.geo, V = g.V, sel = state.hovered ?? state.selected;
    const c = [0, 1].map((j) => V.reduce((t, v) => t + v[j], 0) / V.length);
    const ring = V.map((v, k) => [k, Math.atan2(v[1] - c[1], v[0] - c[0])]).sort((a, b) => a[1] - b[1]).map((a) => a[0]);
    ring.push(ring[0]);
    const ex = [], ey = [];
    g.E.forEach(([a, b]) => { ex.push(V[a][0], V[b][0], null); ey.push(V[a][1], V[b][1], null); });
    const s = sel === null ? [] : [V[sel]];
    return {
      data: [
        { x: ring.map((k) => V[k][0]), y: ring.map((k) => V[k][1]), fill: "toself", fillcolor: CFG.face,
          mode: "none", hoverinfo: "skip", name: "faces", showlegend: false },
        { x: ex, y: ey, mode: "lines", line: { color: "#333", width: 2 }, hoverinfo: "skip", name: "edges",
          showlegend: false },
        { x: V.map((v) => v[0]), y: V.map((v) => v[1]), mode: "markers",
          marker: { size: 12, color: V.map((_, k) => color(k)), line: { color: "black", width: 1 } },
          text: g.pats.map((p, k) => `vertex ${k}: pattern ${p}<br>(${V[k].join(", ")})`),
          hoverinfo: "text", name: "vertices", showlegend: false },
        { x: s.map((v) => v[0]), y: s.map((v) => v[1]), mode: "markers",
          marker: { size: 20, color: HL, symbol: "diamond", line: { color: "black", width: 2 } },
          hoverinfo: "skip", name: "selected vertex", showlegend: false },
      ],
      layout: {
        title: { text: `(c) zonogon: ${V.length} vertices, ${g.E.length} edges`, font: { size: 15 } },
        xaxis: { title: "z1", zeroline: false }, yaxis: { title: "z2", scaleanchor: "x", zeroline: false },
        margin: { l: 50, r: 10, t: 50, b: 45 }, hovermode: "closest",
      },
    };
  }

  // ---------------------------------------------------------------- 3-D data
  function dataFigure3() {
    const X = state.X, sel = state.hovered ?? state.selected;
    const act = sel === null ? [] : active(state.geo.pats[sel]);
    const cur = state.point;
    return {
      data: [
        { type: "scatter3d", x: X.map((p) => p[0]), y: X.map((p) => p[1]), z: X.map((p) => p[2]),
          mode: "markers+text", text: X.map((_, i) => "x" + i), textposition: "top center",
          marker: { size: X.map((_, i) => (i === cur ? 9 : 6)), color: X.map((_, i) => (act.includes(i) ? HL : "#1f77b4")),
                    line: { color: "black", width: 1 } },
          hovertext: X.map((p, i) => `x${i} = (${p.join(", ")})`), hoverinfo: "text", name: "points",
          showlegend: false },
      ],
      layout: {
        title: { text: "(a) data in R<sup>3</sup>: click a point, edit its coordinates above",
                 font: { size: 15 } },
        scene: { aspectmode: "cube", xaxis: { title: { text: "x1" } }, yaxis: { title: { text: "x2" } },
                 zaxis: { title: { text: "x3" } } },
        margin: { l: 0, r: 0, t: 50, b: 0 }, uirevision: "keep",
      },
    };
  }

  function arrangementFigure3() {
    const X = state.X, g = state.geo, side = state.side, sel = state.hovered ?? state.selected;
    const marks = g.chart[side], [lo, hi] = marks.box;
    const traces = [];
    X.forEach((p, i) => {
      if (!p.some((v) => v !== 0)) return;
      const P = planePolygon(p, -side, lo, hi);
      if (!P) return;
      const I = [], J = [], K = [];
      for (let t = 1; t + 1 < P.length; t++) { I.push(0); J.push(t); K.push(t + 1); }
      traces.push({ type: "mesh3d", x: P.map((q) => q[0]), y: P.map((q) => q[1]), z: P.map((q) => q[2]),
                    i: I, j: J, k: K, color: "#888", opacity: 0.08, hoverinfo: "skip", name: "plane " + i,
                    showlegend: false });
    });
    state.visible = marks.map((m) => m.k);
    traces.push({ type: "scatter3d", x: marks.map((m) => m.w[0]), y: marks.map((m) => m.w[1]),
                  z: marks.map((m) => m.w[2]), mode: "markers", customdata: marks.map((m) => m.k),
                  marker: { size: marks.map((m) => (m.k === sel ? 11 : 6)), color: marks.map((m) => color(m.k)),
                            line: { color: "black", width: 1 } },
                  text: marks.map((m) => `chamber ${m.k}: pattern ${g.pats[m.k]}`), hoverinfo: "text",
                  name: "chambers", showlegend: false });
    const sg = side > 0 ? "+" : "−", rhs = side > 0 ? "−1" : "+1";
    return {
      data: traces,
      layout: {
        title: { text: `(b) chart b = ${sg}1: planes w·x<sub>i</sub> = ${rhs}; ${marks.length} of ` +
                       `${g.pats.length} chambers meet b ${side > 0 ? ">" : "<"} 0`, font: { size: 15 } },
        scene: { aspectmode: "cube", xaxis: { title: { text: "w1" }, range: [lo[0], hi[0]] },
                 yaxis: { title: { text: "w2" }, range: [lo[1], hi[1]] },
                 zaxis: { title: { text: "w3" }, range: [lo[2], hi[2]] } },
        margin: { l: 0, r: 0, t: 50, b: 0 }, uirevision: "keep", hovermode: "closest",
      },
    };
  }

  function zonotopeFigure3() {
    const g = state.geo, V = g.V, sel = state.hovered ?? state.selected;
    const ex = [], ey = [], ez = [];
    g.E.forEach(([a, b]) => {
      ex.push(V[a][0], V[b][0], null); ey.push(V[a][1], V[b][1], null); ez.push(V[a][2], V[b][2], null);
    });
    const traces = [];
    if (V.length >= 4)
      traces.push({ type: "mesh3d", x: V.map((v) => v[0]), y: V.map((v) => v[1]), z: V.map((v) => v[2]),
                    alphahull: 0, color: CFG.face, opacity: 0.2, hoverinfo: "skip", name: "faces" });
    traces.push({ type: "scatter3d", x: ex, y: ey, z: ez, mode: "lines", line: { color: "#555", width: 3 },
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
        title: { text: `(c) zonotope ⊂ R<sup>4</sup>: ${V.length} vertices, ${g.E.length} edges<br>` +
                       "<span style='font-size:12px'>projected to (z1, z2, z3): z4 = #active dropped</span>",
                 font: { size: 15 } },
        scene: { aspectmode: "data", xaxis: { title: { text: "z1" } }, yaxis: { title: { text: "z2" } },
                 zaxis: { title: { text: "z3" } } },
        margin: { l: 0, r: 0, t: 60, b: 0 }, uirevision: "keep",
      },
    };
  }

  function syncInputs() {            // 3-D data: the coordinates of the chosen point
    if (DIM !== 3) return;
    $("zx-pt").value = String(state.point);
    [0, 1, 2].forEach((c) => { $("zx-c" + c).value = String(state.X[state.point][c]); });
    $("zx-side").textContent = state.side > 0 ? "show chart b = −1" : "show chart b = +1";
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
  const FIGS = DIM === 1 ? [dataFigure1, arrangementFigure1, zonotopeFigure1]
    : DIM === 3 ? [dataFigure3, arrangementFigure3, zonotopeFigure3]
      : [dataFigure, arrangementFigure, zonotopeFigure];
  function draw(which) {
    const all = which === undefined;
    if (all || which.includes("a")) Plotly.react("zx-data", ...Object.values(FIGS[0]()),
                                                 { ...CONF, edits: { shapePosition: DIM !== 3 } });
    if (all || which.includes("b")) Plotly.react("zx-arr", ...Object.values(FIGS[1]()), CONF);
    if (all || which.includes("c")) Plotly.react("zx-zono", ...Object.values(FIGS[2]()), CONF);
    syncInputs();
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

  function movePoint(i, x, y, z) {    // 1-D: x; 2-D: x, y; 3-D: x, y, z (snapped to the grid)
    const p = (DIM === 1 ? [x] : DIM === 2 ? [x, y] : [x, y, z]).map(snap);
    if (p.every((v, c) => v === state.X[i][c])) { draw("a"); return false; }
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
    const gd = $("zx-arr"), on = k ?? state.selected;
    if (DIM === 3) {              // resize the chamber markers without rebuilding the panel
      const n = gd.data.findIndex((t) => t.name === "chambers");
      if (n >= 0) Plotly.restyle(gd, { "marker.size": [gd.data[n].customdata.map((c) => (c === on ? 11 : 6))] }, [n]);
      return;
    }
    // outline in panel (b) without rebuilding it (keeps the hover alive)
    const idx = [], op = [], lc = [], lw = [];
    gd.data.forEach((t, n) => {
      if (t.meta === undefined) return;
      idx.push(n);
      op.push(t.meta === on ? 0.95 : 0.55);
      lc.push(t.meta === on ? "black" : "rgba(0,0,0,0)");
      lw.push(t.meta === on ? 3 : 0);
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
    if (DIM === 3) {
      $("zx-data").on("plotly_click", (ev) => { state.point = ev.points[0].pointNumber; draw("a"); });
      $("zx-pt").addEventListener("change", () => { state.point = Number($("zx-pt").value); draw("a"); });
      [0, 1, 2].forEach((c) => $("zx-c" + c).addEventListener("change", () => {
        const q = [0, 1, 2].map((j) => Number($("zx-c" + j).value));
        if (q.every(Number.isFinite)) movePoint(state.point, ...q);
      }));
      $("zx-side").addEventListener("click", () => { state.side = -state.side; draw("b"); });
    }
    $("zx-arr").on("plotly_hover", (ev) => {
      const p = ev.points[0], t = p.data;
      if (t.meta !== undefined) hover(t.meta);
      else if (t.name === "chambers") hover(t.customdata[p.pointNumber]);
    });
    $("zx-arr").on("plotly_unhover", () => hover(null));
    $("zx-arr").on("plotly_click", (ev) => {
      const p = ev.points[0], t = p.data;
      const k = t.meta !== undefined ? t.meta : t.name === "chambers" ? t.customdata[p.pointNumber] : undefined;
      if (k !== undefined) { state.selected = k; state.hovered = null; draw(); }
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
