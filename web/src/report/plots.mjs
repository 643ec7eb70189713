// The report's plots of one section: the 1-D curve with iterates and tangent lines, the 2-D contour
// map with paths and minima (and −∇f arrows on request), the 3-D surface, and f − f*, ‖∇f‖ against
// iteration. Each `draw…` returns {drawn: Promise, update(rows, iteration)}: the slider calls
// update with the row each run shows. Traces come from ../shared/traces.mjs (the playground draws
// with the same).
import { colorOf } from '../shared/palette.mjs';
import { minimaTraces, pathTrace, iterateTrace, fieldArrows, surfaceTrace, surfacePathTrace, convergenceTraces,
  iterationCursor } from '../shared/traces.mjs';

const config = { responsive: true, displaylogo: false };
const finite = (v) => typeof v === 'number' && Number.isFinite(v);

// Moving the current iterates of a 1-D map: Plotly.restyle recomputes every trace of the plot;
// an animation without redraw recomputes only the moved ones (a frame, ~30 ms). Not on a contour
// map: that animation erases the contour lines (Plotly 2.35), so 2-D maps use restyle.
const moveOnly = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' };
function moveScatterOnly(div, xs, ys, ids) {
  // A newer step interrupts this one ('immediate') and Plotly rejects the interrupted animation's
  // promise with no reason: nothing is lost, the newer step draws the iterate. Real errors pass.
  return Plotly.animate(div, { data: xs.map((x, i) => ({ x, y: ys[i] })), traces: ids }, moveOnly)
    .catch((reason) => { if (reason !== undefined) throw reason; });
}

// Plotly for the 3-D surfaces is inert text in the page (html_writer.hpp) until a surface is
// drawn: running it at load would cost as much as the rest of the opening. It is a UMD bundle;
// run as CommonJS it hands over its Plotly without replacing window.Plotly (the flat plots' one).
let plotly3dLibrary = null;
export function plotly3d() {
  if (plotly3dLibrary) return plotly3dLibrary;
  const source = document.getElementById('kobai-plotly-3d');
  if (!source) throw new Error('kobai report: this page has no 3-D Plotly (kobai-plotly-3d)');
  const module = { exports: {} };
  new Function('module', 'exports', source.textContent)(module, module.exports);
  plotly3dLibrary = module.exports;
  return plotly3dLibrary;
}

// ---- 1-D: curve, iterates, tangent lines -----------------------------------------------------
function curveRange(section) {
  const ys = section.curve.f.filter(finite);
  let lo = Math.min(...ys), hi = Math.max(...ys);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const pad = 0.08 * (hi - lo);
  return [lo - pad, hi + pad];
}
function tangent(section, run, k) {
  const x = run.drawX[k], y = run.drawF[k], m = run.path.slope[k];
  const xs = section.curve.x, w = 0.18 * (xs[xs.length - 1] - xs[0]);
  if (!finite(x) || !finite(y) || !finite(m)) return { x: [], y: [] };
  return { x: [x - w, x + w], y: [y - m * w, y + m * w] };
}
export function map1d(div, section, runs, title, rows) {
  const traces = [{ x: section.curve.x, y: section.curve.f, mode: 'lines', name: 'f(x)',
    line: { color: '#444', width: 2 }, hoverinfo: 'x+y' }];
  traces.push(...minimaTraces(section.problem));
  const moving = [];
  runs.forEach((run) => {
    const c = colorOf(run.index);
    traces.push({ x: run.drawX, y: run.drawF, mode: 'lines+markers', name: run.label,
      line: { color: c, width: 1 }, marker: { color: c, size: 6 }, opacity: 0.45 });
    moving.push({ run, iterate: traces.length, tangent: traces.length + 1 });
    const k = rows[run.index];
    traces.push(iterateTrace(run.label + ' iterate', run.index, [run.drawX[k]], [run.drawF[k]]));
    const t = tangent(section, run, k);
    traces.push({ x: t.x, y: t.y, mode: 'lines', name: run.label + ' tangent', showlegend: false,
      line: { color: c, width: 2, dash: 'dash' } });
  });
  const xs = section.curve.x;
  const drawn = Plotly.newPlot(div, traces, {
    title: { text: title, x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 10, b: 40, l: 60 },
    xaxis: { title: { text: 'x' }, range: [xs[0], xs[xs.length - 1]] },
    yaxis: { title: { text: 'f(x)' }, range: curveRange(section) },
    legend: { orientation: 'h', y: -0.15 },
  }, config);
  return { drawn, update(rowsNow) {
    const xs = [], ys = [], ids = [];
    moving.forEach((m) => {
      const k = rowsNow[m.run.index];
      xs.push([m.run.drawX[k]]); ys.push([m.run.drawF[k]]); ids.push(m.iterate);
      const t = tangent(section, m.run, k);
      xs.push(t.x); ys.push(t.y); ids.push(m.tangent);
    });
    return moveScatterOnly(div, xs, ys, ids);
  } };
}

// ---- 2-D: contour map with arrows, minima, gradient field ---------------------------------------
function contourTrace(grid) {
  const trace = { type: 'contour', x: grid.x, y: grid.y, z: grid.log ? grid.zlog : grid.z,
    name: grid.log ? 'log10(f − f_min)' : 'f', ncontours: 30, showscale: true,
    colorscale: 'Viridis', contours: { coloring: 'lines' }, line: { width: 1.2 }, hoverinfo: 'skip' };
  if (grid.log) {
    const zs = grid.zlog.flat().filter(finite);
    const lo = Math.ceil(Math.min(...zs)), hi = Math.floor(Math.max(...zs));
    const tickvals = [];
    for (let k = lo; k <= hi; ++k) tickvals.push(k);
    trace.colorbar = { title: { text: 'f − f_min' }, tickvals, ticktext: tickvals.map((k) => '1e' + k) };
  } else {
    trace.colorbar = { title: { text: 'f' } };
  }
  return trace;
}
function fieldTrace(grid) {
  const L = 0.75 * (grid.x[grid.x.length - 1] - grid.x[0]) / 20;
  const H = 0.75 * (grid.y[grid.y.length - 1] - grid.y[0]) / 20;
  const a = fieldArrows(grid.field, [L, H]);
  return { x: a.x, y: a.y, mode: 'lines', name: 'direction of −∇f', line: { color: '#999', width: 1 }, hoverinfo: 'skip' };
}
export function map2d(div, section, runs, title, withField, rows) {
  const g = section.grid;
  const traces = [contourTrace(g)];
  if (withField && g.field) traces.push(fieldTrace(g));
  traces.push(...minimaTraces(section.problem));
  const moving = [];
  runs.forEach((run) => {
    traces.push(pathTrace(run.label, run.index, run.drawX, run.drawY, { arrows: true }));
    moving.push({ run, iterate: traces.length });
    const k = rows[run.index];
    traces.push(iterateTrace(run.label + ' iterate', run.index, [run.drawX[k]], [run.drawY[k]]));
  });
  const drawn = Plotly.newPlot(div, traces, {
    title: { text: title, x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 10, b: 40, l: 50 },
    xaxis: { title: { text: 'x' }, range: [g.x[0], g.x[g.x.length - 1]] },
    yaxis: { title: { text: 'y' }, range: [g.y[0], g.y[g.y.length - 1]] },
    legend: { orientation: 'h', y: -0.15 },
  }, config);
  return { drawn, update(rowsNow) {
    const xs = [], ys = [], ids = [];
    moving.forEach((m) => {
      const k = rowsNow[m.run.index];
      xs.push([m.run.drawX[k]]); ys.push([m.run.drawY[k]]); ids.push(m.iterate);
    });
    return Plotly.restyle(div, { x: xs, y: ys }, ids);
  } };
}

// ---- 2-D: the surface with the paths on it --------------------------------------------------------
export function surface(div, section, runs, rows) {
  const Plotly3d = plotly3d();
  const g = section.grid;
  // every other grid line at most 60 per axis: a software-rendered WebGL surface costs ~ cells
  const every = Math.max(1, Math.ceil(g.x.length / 60));
  const pick = (a) => a.filter((_, i) => i % every === 0 || i === a.length - 1);
  const traces = [surfaceTrace(pick(g.x), pick(g.y), pick(g.z).map(pick), { colorBy: g.log ? pick(g.zlog).map(pick) : null })];
  const moving = [];
  runs.forEach((run) => {
    traces.push(surfacePathTrace(run.label, run.index, run.drawX, run.drawY, run.drawF));
    moving.push({ run, iterate: traces.length });
    const k = rows[run.index];
    traces.push({ type: 'scatter3d', x: [run.drawX[k]], y: [run.drawY[k]], z: [run.drawF[k]],
      mode: 'markers', name: run.label + ' iterate', showlegend: false,
      marker: { color: colorOf(run.index), size: 6, line: { color: '#fff', width: 1 } } });
  });
  const drawn = Plotly3d.newPlot(div, traces, {
    title: { text: 'surface', x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 0, b: 0, l: 0 },
    scene: { xaxis: { title: { text: 'x' }, range: [g.x[0], g.x[g.x.length - 1]] },
      yaxis: { title: { text: 'y' }, range: [g.y[0], g.y[g.y.length - 1]] },
      zaxis: { title: { text: 'f' } } },
    showlegend: false,
  }, config);
  return { drawn, update(rowsNow) {
    const xs = [], ys = [], zs = [], ids = [];
    moving.forEach((m) => {
      const k = rowsNow[m.run.index];
      xs.push([m.run.drawX[k]]); ys.push([m.run.drawY[k]]); zs.push([m.run.drawF[k]]);
      ids.push(m.iterate);
    });
    return Plotly3d.restyle(div, { x: xs, y: ys, z: zs }, ids);
  } };
}

// ---- every dimension: value and gradient norm against iteration ---------------------------------
function iterationRange(section) {
  const its = section.runs.map((run) => run.path.iteration).filter((a) => a.length);
  const lo = Math.min(...its.map((a) => a[0])), hi = Math.max(...its.map((a) => a[a.length - 1]));
  return its.length && hi > lo ? [lo, hi] : [0, 1];
}
export function convergence(div, section, iteration) {
  const p = section.problem;
  const fStar = p.bounded_below && finite(p.minimum_value) ? p.minimum_value : null;
  const { traces, logValue } = convergenceTraces(section.runs.map((run) => ({ name: run.label, index: run.index,
    iterations: run.path.iteration, values: run.path.value, gradientNorms: run.path.gradient_norm })), fStar);
  const layout = {
    title: { text: logValue ? 'f − f* and ‖∇f‖ by iteration' : 'f and ‖∇f‖ by iteration' },
    margin: { t: 40, r: 60, b: 40, l: 60 },
    // a fixed range: moving the marker line is then a redraw of the line alone, not a new autorange
    xaxis: { title: { text: 'iteration' }, range: iterationRange(section), autorange: false },
    yaxis: { type: logValue ? 'log' : 'linear', title: { text: logValue ? 'f − f*, ‖∇f‖' : 'f' }, exponentformat: 'e' },
    shapes: [iterationCursor(iteration)],
    legend: { orientation: 'h', y: -0.25 },
  };
  if (!logValue) layout.yaxis2 = { type: 'log', overlaying: 'y', side: 'right', title: { text: '‖∇f‖' }, exponentformat: 'e' };
  const drawn = Plotly.newPlot(div, traces, layout, config);
  return { drawn, update(_rows, it) {
    return Plotly.relayout(div, { 'shapes[0].x0': it, 'shapes[0].x1': it });
  } };
}
