// Plotly traces that the reports and the playground both draw: the known minima, a run's path
// (with arrows along it in 2-D), the current iterate, the field of −∇f arrows, the 3-D surface and
// the convergence plots (f − f* and ‖∇f‖ against iteration). Each returns plain trace objects;
// the callers decide the layout and when to draw.
import { colorOf } from './palette.mjs';

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

// Levels on a log scale when f spans decades over the box (Beale: 0 … 1e5): most of the range is
// then far above the bulk of the values, and linear levels would crowd into one corner. Returns
// the (possibly transformed) rows, whether they are log10(f − min + δ), and the transform.
export function contourLevels(z) {
  const flat = z.flat().filter(Number.isFinite).sort((a, b) => a - b);
  const lo = flat[0], hi = flat[flat.length - 1];
  const q = flat[Math.floor(flat.length * 0.1)];
  const log = hi - lo > 100 * (q - lo) && hi > lo;
  if (!log) return { z, log: false, transform: (v) => v };
  const delta = (hi - lo) * 1e-7 || 1e-12;
  const transform = (v) => (Number.isFinite(v) ? Math.log10(Math.max(v - lo, 0) + delta) : null);
  return { z: z.map((row) => row.map(transform)), log: true, transform };
}

// ★ the global minima, ✕ the local ones. `points`: [[x, y], …] (2-D) or [[x], …] with `values`
// their f (1-D: the marker sits on the curve). `onDark`: drawn over a filled contour image;
// `keepEmpty`: both traces even when a kind has no minima (callers that count trace numbers).
export function minimaTraces(problem, { onDark = false, keepEmpty = false } = {}) {
  const traces = [];
  const two = problem.dimension === 2;
  const at = (points, values) => ({ x: points.map((m) => m[0]), y: two ? points.map((m) => m[1]) : values || [] });
  const global = problem.global_minimizers || [], local = problem.local_minimizers || [];
  if (global.length || keepEmpty)
    traces.push({ type: 'scatter', mode: 'markers', name: 'global minimum', ...at(global, problem.global_minimizers_values),
      marker: { symbol: 'star', size: 15, color: onDark ? 'white' : '#f2b600', line: { color: onDark ? 'black' : '#333', width: 1 } } });
  if (local.length || keepEmpty)
    traces.push({ type: 'scatter', mode: 'markers', name: 'local minimum', ...at(local, problem.local_minimizers_values),
      marker: { symbol: 'x', size: 11, color: onDark ? 'white' : '#555', line: { color: 'black', width: onDark ? 1 : 0 } } });
  return traces;
}

// A run's path: `arrows` puts an arrowhead on every point, pointing along the path (2-D maps).
export function pathTrace(name, index, x, y, { arrows = false, text = null, width = 1.5 } = {}) {
  const color = colorOf(index);
  const trace = { type: 'scatter', mode: arrows ? 'lines+markers' : 'lines', name, x, y, line: { color, width } };
  if (arrows) trace.marker = { color, size: 8, symbol: 'arrow', angleref: 'previous' };
  if (text) { trace.text = text; trace.hoverinfo = 'text+name'; }
  return trace;
}

// The current iterate of run `index` (moved by the slider).
export function iterateTrace(name, index, x, y) {
  return { type: 'scatter', mode: 'markers', name, showlegend: false, x, y,
    marker: { color: colorOf(index), size: 14, line: { color: '#fff', width: 2 } } };
}

// The field of −∇f as arrows of one length: `field` {x, y, u, v} (unit directions at points),
// `length` [lx, ly] an arrow's extent along each axis. A shaft and two barbs at ±25° per arrow.
export function fieldArrows(field, [lx, ly]) {
  const xs = [], ys = [];
  for (let i = 0; i < field.x.length; ++i) {
    const x0 = field.x[i], y0 = field.y[i], x1 = x0 + lx * field.u[i], y1 = y0 + ly * field.v[i];
    xs.push(x0, x1, null); ys.push(y0, y1, null);
    const a = Math.atan2(-field.v[i], -field.u[i]);
    [0.45, -0.45].forEach((d) => {
      xs.push(x1, x1 + 0.35 * lx * Math.cos(a + d), null);
      ys.push(y1, y1 + 0.35 * ly * Math.sin(a + d), null);
    });
  }
  return { x: xs, y: ys };
}

// f as a 3-D surface, coloured by `colorBy` (log levels) when given.
export function surfaceTrace(x, y, z, { colorBy = null, opacity = 0.85 } = {}) {
  const trace = { type: 'surface', x, y, z, name: 'f', showscale: false, opacity, colorscale: 'Viridis', hoverinfo: 'x+y+z' };
  if (colorBy) trace.surfacecolor = colorBy;
  return trace;
}

// A run's path lying on the surface.
export function surfacePathTrace(name, index, x, y, z, { markers = true } = {}) {
  const color = colorOf(index);
  return { type: 'scatter3d', mode: markers ? 'lines+markers' : 'lines', name, x, y, z,
    line: { color, width: 4 }, marker: { color, size: 2 } };
}

// f − f* (where f* is known and every gap is positive, so a log axis can show it; else f) and
// ‖∇f‖ against iteration, one pair of traces per run: runs [{name, index, iterations, values,
// gradientNorms}]. `logValue` says which; the gradient goes on a second axis when f is linear.
export function convergenceTraces(runs, fStar) {
  const known = fStar !== null && fStar !== undefined && finite(fStar);
  const gaps = runs.map((r) => Array.from(r.values, (v) => (finite(v) && known ? v - fStar : null)));
  const logValue = known && gaps.every((g) => g.every((v) => v === null || v > 0));
  const traces = [];
  runs.forEach((r, k) => {
    const color = colorOf(r.index);
    traces.push({ type: 'scatter', mode: 'lines', x: Array.from(r.iterations), y: logValue ? gaps[k] : Array.from(r.values),
      name: r.name + (logValue ? ': f − f*' : ': f'), line: { color, width: 2 } });
    traces.push({ type: 'scatter', mode: 'lines', x: Array.from(r.iterations), y: Array.from(r.gradientNorms, (v) => (v > 0 ? v : null)),
      name: r.name + ': ‖∇f‖', yaxis: logValue ? 'y' : 'y2', line: { color, width: 1.5, dash: 'dot' } });
  });
  return { traces, logValue };
}

// The dashed vertical line at the slider's iteration on a plot against iteration.
export function iterationCursor(iteration) {
  return { type: 'line', xref: 'x', yref: 'paper', x0: iteration, x1: iteration, y0: 0, y1: 1,
    line: { color: '#888', width: 1, dash: 'dash' } };
}
