// The page's side of kobai's WebAssembly engine (bindings/wasm/engine.cpp): requests built from
// the state, and the fields (grid, curve, arrows) the views draw. Every number comes from the
// engine; nothing here re-implements an optimizer.
import { effectiveHyper } from './optimizers.mjs';

export async function loadEngine() {
  if (typeof createKobaiEngine !== 'function') throw new Error('the engine script is missing from the page');
  return createKobaiEngine();
}

// The request for run i of the state (what engine.run takes).
export function runRequest(state, catalog, i, problem) {
  const run = state.runs[i];
  const entry = catalog.find((o) => o.name === run.optimizer);
  const request = {
    problem: state.problem,
    start: startOf(state, problem),
    optimizer: run.optimizer,
    hyper: effectiveHyper(entry, run.hyper),
    stopping: { ...state.stopping },
    history_max_rows: 4000,
  };
  if (run.segments.length > 0)
    request.segments = run.segments.map((g) => ({ at: g.at, hyper: effectiveHyper(entry, g.hyper) }));
  return request;
}

export function startOf(state, problem) {
  if (state.start && state.start.length === problem.dimension) return state.start.slice();
  return Array.from(problem.start);
}

// Every run of the state: [{request, result}] (result.error when the engine refused).
export function runAll(engine, state, catalog, problem) {
  return state.runs.map((_, i) => {
    const request = runRequest(state, catalog, i, problem);
    return { request, result: engine.run(request) };
  });
}

// The box drawn: the problem's plotting box.
export function boxOf(problem) {
  return { lower: Array.from(problem.box_lower), upper: Array.from(problem.box_upper) };
}

export function linspace(a, b, n) {
  const out = new Array(n);
  for (let i = 0; i < n; ++i) out[i] = a + ((b - a) * i) / (n - 1);
  return out;
}

// f on an n × n grid over the box (rows are y), for the contour and the surface.
export function gridField(engine, problemSpec, box, n) {
  const xs = linspace(box.lower[0], box.upper[0], n);
  const ys = linspace(box.lower[1], box.upper[1], n);
  const g = engine.grid(problemSpec, xs, ys);
  if (g.error) throw new Error(g.error);
  const z = [];
  for (let j = 0; j < n; ++j) z.push(Array.from(g.z.subarray(j * n, (j + 1) * n)));
  return { xs, ys, z };
}

// f and f' along the 1-D box, for the curve.
export function curveField(engine, problemSpec, box, n) {
  const xs = linspace(box.lower[0], box.upper[0], n);
  const e = engine.evaluate(problemSpec, xs);
  if (e.error) throw new Error(e.error);
  return { xs, ys: Array.from(e.values) };
}

// −∇f at an m × m grid of points: arrows as line segments scaled to a common length.
export function arrowField(engine, problemSpec, box, m) {
  const xs = linspace(box.lower[0], box.upper[0], m + 2).slice(1, -1);
  const ys = linspace(box.lower[1], box.upper[1], m + 2).slice(1, -1);
  const pts = [];
  for (const y of ys) for (const x of xs) pts.push(x, y);
  const e = engine.evaluate(problemSpec, pts);
  if (e.error) throw new Error(e.error);
  const cell = Math.min((box.upper[0] - box.lower[0]) / (m + 1), (box.upper[1] - box.lower[1]) / (m + 1)) * 0.8;
  const ax = [], ay = [];
  for (let k = 0; k < pts.length / 2; ++k) {
    const gx = e.gradients[2 * k], gy = e.gradients[2 * k + 1];
    const norm = Math.hypot(gx, gy);
    if (!(norm > 0) || !Number.isFinite(norm)) continue;
    const x0 = pts[2 * k], y0 = pts[2 * k + 1];
    const x1 = x0 - (gx / norm) * cell, y1 = y0 - (gy / norm) * cell;
    // the shaft and a two-stroke head
    const hx = (x0 - x1) * 0.3, hy = (y0 - y1) * 0.3;
    ax.push(x0, x1, null, x1, x1 + hx * 0.87 - hy * 0.5, null, x1, x1 + hx * 0.87 + hy * 0.5, null);
    ay.push(y0, y1, null, y1, y1 + hy * 0.87 + hx * 0.5, null, y1, y1 + hy * 0.87 - hx * 0.5, null);
  }
  return { x: ax, y: ay };
}

// The history row shown at slider position `iteration`: the last row at or before it.
export function rowAt(history, iteration) {
  const it = history.iterations;
  let lo = 0, hi = it.length - 1;
  if (hi < 0) return -1;
  if (iteration >= it[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (it[mid] <= iteration) lo = mid; else hi = mid - 1;
  }
  return lo;
}
