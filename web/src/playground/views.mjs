// The playground's plots (Plotly): the contour with paths (2-D) or the curve with tangents (1-D),
// the 3-D surface, and f − f* and ‖∇f‖ against iteration. All share one iteration (the slider):
// moving it restyles only the "current iterate" traces, never the contour. The traces, colours,
// levels and rows are the reports' own (../shared/): both draw with the same code.
import { short } from '../shared/format.mjs';
import { contourImage } from '../shared/contour_image.mjs';
import { COLORS, colorOf } from '../shared/palette.mjs';
import { rowAt as rowOf } from '../shared/history.mjs';
import { contourLevels, minimaTraces, pathTrace, iterateTrace, surfaceTrace, surfacePathTrace, convergenceTraces,
  iterationCursor } from '../shared/traces.mjs';

export { COLORS, contourLevels };
const rowAt = (history, iteration) => rowOf(history.iterations, iteration);
const FONT = { family: 'system-ui, sans-serif', size: 12 };
const CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false, doubleClick: false };

// Thinned copies of a path for drawing (at most `max` points; first and last kept).
function thin(history, dim, max) {
  const rows = history.iterations.length;
  const step = Math.max(1, Math.ceil(rows / max));
  const idx = [];
  for (let k = 0; k < rows; k += step) idx.push(k);
  if (idx[idx.length - 1] !== rows - 1) idx.push(rows - 1);
  const x = idx.map((k) => history.x[k * dim]);
  const y = dim === 2 ? idx.map((k) => history.x[k * dim + 1]) : idx.map((k) => history.values[k]);
  const text = idx.map((k) => 'iteration ' + history.iterations[k] + '<br>f = ' + short(history.values[k]));
  return { x, y, text, idx };
}

export class Views {
  constructor(elements) {
    this.el = elements;  // {main, values, gradients, surface}
    this.base = null;    // what the main plot was last drawn with
  }

  // The main plot from scratch: field, minima, start, paths. `field` is the contour grid (2-D) or
  // the curve (1-D); `runs` the engine's results.
  drawMain({ problem, field, arrows, start, runs, iteration, showArrows, curvatureAt }) {
    this.curvatureAt = curvatureAt;
    const dim = problem.dimension;
    const traces = [];
    let fixed;
    let images = [];
    if (dim === 2) {
      // the field as a background image (see contour_image.mjs): paths restyle without it
      const levels = contourLevels(field.z);
      if (this.imageKey !== field) { this.image = contourImage(levels.z); this.imageKey = field; }
      const [x0, x1] = [field.xs[0], field.xs[field.xs.length - 1]], [y0, y1] = [field.ys[0], field.ys[field.ys.length - 1]];
      images = [{ source: this.image, xref: 'x', yref: 'y', x: x0, y: y1, sizex: x1 - x0, sizey: y1 - y0, sizing: 'stretch', layer: 'below' }];
      traces.push({ type: 'scatter', mode: 'lines', x: arrows ? arrows.x : [], y: arrows ? arrows.y : [],
        line: { color: 'rgba(255,255,255,0.7)', width: 1 }, hoverinfo: 'skip', visible: showArrows, name: '−∇f' });
      // both marker traces always (possibly empty): the paths' trace numbers count on them
      traces.push(...minimaTraces(problem, { onDark: true, keepEmpty: true }));
      traces.push({ type: 'scatter', mode: 'markers', name: 'start (drag me)', x: [start[0]], y: [start[1]],
        marker: { symbol: 'circle-open', size: 16, color: 'black', line: { width: 3 } } });
      fixed = 4;
    } else {
      traces.push({ type: 'scatter', mode: 'lines', x: field.xs, y: field.ys, name: 'f', line: { color: '#444', width: 2 },
        hoverinfo: 'x+y' });
      traces.push({ type: 'scatter', mode: 'markers', name: 'start (drag me)', x: [start[0]], y: [field.startValue],
        marker: { symbol: 'circle-open', size: 16, color: 'black', line: { width: 3 } } });
      fixed = 2;
    }
    runs.forEach((r, i) => {
      const color = colorOf(i);
      const ok = r.result && !r.result.error;
      const path = ok ? thin(r.result.history, dim, 2000) : { x: [], y: [], text: [] };
      traces.push(pathTrace(r.label, i, path.x, path.y, { text: path.text, width: 2 }));
      traces.push({ ...iterateTrace(r.label + ' (current)', i, [], []), hoverinfo: 'skip' });
      if (dim === 1)
        traces.push({ type: 'scatter', mode: 'lines', name: r.label + ' tangent', showlegend: false, x: [], y: [],
          line: { color, width: 1.5, dash: 'dash' }, hoverinfo: 'skip' });
    });
    // overlays for the selected run (setOverlay): Newton's model, a line search's trial points
    const overlay = traces.length;
    traces.push({ type: 'scatter', mode: 'lines+markers', name: 'model', showlegend: false, x: [], y: [], hoverinfo: 'skip',
      line: { color: 'rgba(0,0,0,0.75)', width: 1.5, dash: 'dash' }, marker: { size: 7, color: 'black', symbol: 'x' } });
    traces.push({ type: 'scatter', mode: 'markers', name: 'line-search trials', showlegend: false, x: [], y: [], text: [], hoverinfo: 'text',
      marker: { size: 10, symbol: 'diamond-open', color: 'black', line: { width: 2 } } });
    const box = { x: [field.xs[0], field.xs[field.xs.length - 1]] };
    const yRange = dim === 2 ? [field.ys[0], field.ys[field.ys.length - 1]] : curveRange(field.ys);
    const layout = {
      margin: { l: 50, r: 10, t: 10, b: 40 }, font: FONT, dragmode: false, hovermode: 'closest',
      xaxis: { range: box.x, title: { text: 'x' }, fixedrange: true, zeroline: false, showgrid: dim === 1 },
      yaxis: { range: yRange, title: { text: dim === 2 ? 'y' : 'f(x)' }, fixedrange: true, zeroline: false, showgrid: dim === 1 },
      legend: { orientation: 'h', y: -0.12, x: 0 }, showlegend: true,
      uirevision: 'main', images,
    };
    this.base = { dim, fixed, perRun: dim === 1 ? 3 : 2, runs, overlay };
    const drawn = Plotly.react(this.el.main, traces, layout, CONFIG);
    this.moveTo(iteration);
    return drawn;
  }

  // Only the paths changed (a drag): restyle the path traces and the start marker, not the field.
  updatePaths({ start, startValue, runs, iteration }) {
    const { dim, fixed, perRun } = this.base;
    const xs = [], ys = [], texts = [], idx = [], names = [];
    runs.forEach((r, i) => {
      const ok = r.result && !r.result.error;
      const path = ok ? thin(r.result.history, dim, 2000) : { x: [], y: [], text: [] };
      xs.push(path.x); ys.push(path.y); texts.push(path.text); idx.push(fixed + i * perRun); names.push(r.label);
    });
    xs.push([start[0]]); ys.push([dim === 2 ? start[1] : startValue]); texts.push(['start']);
    idx.push(dim === 2 ? 3 : 1);
    names.push('start (drag me)');
    this.base.runs = runs;
    // one restyle for the paths and the current iterates: one redraw
    const current = this.currentIterates(iteration);
    // names too: another optimizer in a run's place keeps the trace but not its label
    const currentNames = current.idx.map((k) => {
      const i = Math.floor((k - fixed) / perRun);
      return runs[i].label + ((k - fixed) % perRun === 1 ? ' (current)' : ' tangent');
    });
    Plotly.restyle(this.el.main, { x: [...xs, ...current.xs], y: [...ys, ...current.ys], text: [...texts, ...current.xs.map(() => [])],
      name: [...names, ...currentNames] }, [...idx, ...current.idx]);
  }

  // The overlays: `model` {x, y} (a line; null breaks it), `trials` {x, y, text, accepted}
  // (accepted points filled); null clears one.
  setOverlay({ model = null, trials = null } = {}) {
    if (!this.base) return;
    const o = this.base.overlay;
    const symbols = trials ? trials.accepted.map((a) => (a ? 'diamond' : 'diamond-open')) : [];
    Plotly.restyle(this.el.main, { x: [model ? model.x : [], trials ? trials.x : []], y: [model ? model.y : [], trials ? trials.y : []],
      text: [[], trials ? trials.text : []], 'marker.symbol': ['x', symbols] }, [o, o + 1]);
  }

  // The slider: every run's current iterate (and, in 1-D, its tangent line).
  moveTo(iteration) {
    if (!this.base) return;
    const { xs, ys, idx } = this.currentIterates(iteration);
    if (idx.length) Plotly.restyle(this.el.main, { x: xs, y: ys }, idx);
  }

  currentIterates(iteration) {
    const { dim, fixed, perRun, runs } = this.base;
    const xs = [], ys = [], idx = [];
    runs.forEach((r, i) => {
      const ok = r.result && !r.result.error;
      const h = ok ? r.result.history : null;
      const k = h ? rowAt(h, iteration) : -1;
      if (k < 0) {
        xs.push([]); ys.push([]); idx.push(fixed + i * perRun + 1);
        if (dim === 1) { xs.push([]); ys.push([]); idx.push(fixed + i * perRun + 2); }
        return;
      }
      const x0 = h.x[k * dim];
      xs.push([x0]); ys.push([dim === 2 ? h.x[k * dim + 1] : h.values[k]]); idx.push(fixed + i * perRun + 1);
      if (dim === 1) {
        // the tangent f(x_k) + f'(x_k)(x − x_k) over a fifth of the box; for Newton the local
        // quadratic model f + f'·d + f''·d²/2 it minimizes instead (its step goes to the model's bottom)
        const slope = h.gradients ? h.gradients[k] : 0;
        const range = this.el.main._fullLayout ? this.el.main._fullLayout.xaxis.range : [x0 - 1, x0 + 1];
        const half = (range[1] - range[0]) / 10;
        const raw = r.request.optimizer === 'newton' && this.curvatureAt ? this.curvatureAt(x0) : null;
        // where f'' ≤ 0 Newton's model uses |f''| (kobai's eigenvalue modification, floored at 1e-8)
        const curvature = raw === null ? null : raw > 0 ? raw : Math.max(Math.abs(raw), 1e-8);
        if (curvature !== null) {
          const ds = Array.from({ length: 41 }, (_, m) => -2 * half + (4 * half * m) / 40);
          xs.push(ds.map((d) => x0 + d)); ys.push(ds.map((d) => h.values[k] + slope * d + 0.5 * curvature * d * d));
        } else {
          xs.push([x0 - half, x0 + half]); ys.push([h.values[k] - slope * half, h.values[k] + slope * half]);
        }
        idx.push(fixed + i * perRun + 2);
      }
    });
    return { xs, ys, idx };
  }

  // ---- the live layer: a canvas over the plot while the start is dragged --------------------------
  // A Plotly restyle redraws the whole plot (50–250 ms on a busy 2-core machine); a drag must
  // follow the pointer every frame. So at the start of a drag Plotly's paths are emptied once, each
  // move draws the paths on this canvas (a few ms), and the drop hands them back to Plotly.
  startLive() {
    const { fixed, perRun, runs, dim } = this.base;
    const idx = [dim === 2 ? 3 : 1];
    runs.forEach((_, i) => { for (let k = 0; k < perRun; ++k) idx.push(fixed + i * perRun + k); });
    Plotly.restyle(this.el.main, { x: idx.map(() => []), y: idx.map(() => []) }, idx);
    const size = this.el.main._fullLayout._size;
    if (!this.canvas) {
      this.canvas = document.createElement('canvas');
      this.canvas.className = 'live-layer';
      this.el.main.parentElement.appendChild(this.canvas);
    }
    const ratio = window.devicePixelRatio || 1;
    Object.assign(this.canvas.style, { left: (this.el.main.offsetLeft + size.l) + 'px', top: (this.el.main.offsetTop + size.t) + 'px',
      width: size.w + 'px', height: size.h + 'px', display: 'block' });
    this.canvas.width = Math.round(size.w * ratio);
    this.canvas.height = Math.round(size.h * ratio);
    this.live = true;
  }

  drawLive({ start, startValue, runs, iteration }) {
    const { dim } = this.base;
    const layout = this.el.main._fullLayout;
    const xa = layout.xaxis, ya = layout.yaxis;
    const ratio = window.devicePixelRatio || 1;
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const px = (x) => xa.l2p(x), py = (y) => ya.l2p(y);
    runs.forEach((r, i) => {
      if (!r.result || r.result.error) return;
      const color = colorOf(i);
      const p = thin(r.result.history, dim, 2000);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      p.x.forEach((x, k) => { if (k === 0) ctx.moveTo(px(x), py(p.y[k])); else ctx.lineTo(px(x), py(p.y[k])); });
      ctx.stroke();
      const h = r.result.history, k = rowAt(h, iteration);
      if (k >= 0) {
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.arc(px(h.x[k * dim]), py(dim === 2 ? h.x[k * dim + 1] : h.values[k]), 6, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    ctx.strokeStyle = 'black';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(px(start[0]), py(dim === 2 ? start[1] : startValue), 8, 0, 2 * Math.PI);
    ctx.stroke();
  }

  endLive() {
    this.live = false;
    if (this.canvas) this.canvas.style.display = 'none';
  }

  setArrows(visible, arrows) {
    if (!this.base || this.base.dim !== 2) return;
    Plotly.restyle(this.el.main, { visible, x: [arrows ? arrows.x : []], y: [arrows ? arrows.y : []] }, [0]);
  }

  // f − f* and ‖∇f‖ against iteration (the reports' traces, one plot each here), with the slider
  // and the hyperparameter changes marked.
  drawConvergence({ runs, fStar, iteration }) {
    const drawn = [], shapes = [], annotations = [];
    runs.forEach((r, i) => {
      if (!r.result || r.result.error) return;
      const h = r.result.history;
      drawn.push({ name: r.label, index: i, iterations: h.iterations, values: h.values, gradientNorms: h.gradient_norm });
      const color = colorOf(i);
      for (const g of r.result.segments || []) {
        shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: g.at, x1: g.at, y0: 0, y1: 1,
          line: { color, dash: 'dot', width: 1.5 } });
        annotations.push({ xref: 'x', yref: 'paper', x: g.at, y: 1, yanchor: 'bottom', showarrow: false,
          text: 'changed' + (g.state_kept ? '' : ' (state reset)'), font: { color, size: 10 } });
      }
    });
    const { traces, logValue } = convergenceTraces(drawn, fStar);
    const valueTraces = traces.filter((_, k) => k % 2 === 0).map((t) => ({ ...t, line: { ...t.line, width: 2 } }));
    const gradTraces = traces.filter((_, k) => k % 2 === 1).map((t) => ({ ...t, yaxis: 'y', line: { ...t.line, width: 2, dash: 'solid' } }));
    const cursor = iterationCursor(iteration);
    const layout = (title, log) => ({ margin: { l: 55, r: 10, t: 28, b: 36 }, font: FONT, dragmode: false,
      title: { text: title, font: { size: 13 }, x: 0.02 }, showlegend: false,
      xaxis: { title: { text: 'iteration' }, fixedrange: true }, yaxis: { type: log ? 'log' : 'linear', exponentformat: 'power', fixedrange: true } });
    const valueTitle = logValue ? 'f − f*  (f* = ' + short(fStar) + ')' : 'f';
    Plotly.react(this.el.values, valueTraces, { ...layout(valueTitle, logValue), shapes: [...shapes, cursor], annotations }, CONFIG);
    Plotly.react(this.el.gradients, gradTraces, { ...layout('‖∇f‖', true), shapes: [...shapes, cursor] }, CONFIG);
    this.convergenceShapes = shapes;
  }

  moveConvergenceCursor(iteration) {
    const shapes = [...(this.convergenceShapes || []), iterationCursor(iteration)];
    Plotly.relayout(this.el.values, { shapes });
    Plotly.relayout(this.el.gradients, { shapes });
  }

  // The 3-D surface with the paths on it (Plotly's 3-D bundle runs only now).
  drawSurface({ problem, field, runs, plotly3d }) {
    if (problem.dimension !== 2) { this.el.surface.textContent = 'The surface is drawn for functions of two variables.'; return; }
    const levels = contourLevels(field.z);
    const traces = [{ ...surfaceTrace(field.xs, field.ys, levels.z, { opacity: 0.9 }), hoverinfo: 'skip' }];
    const transform = levels.transform;
    runs.forEach((r, i) => {
      if (!r.result || r.result.error) return;
      const h = r.result.history;
      const p = thin(h, 2, 1000);
      traces.push(surfacePathTrace(r.label, i, p.x, p.y, p.idx.map((k) => transform(h.values[k])), { markers: false }));
    });
    plotly3d.react(this.el.surface, traces, { margin: { l: 0, r: 0, t: 0, b: 0 }, font: FONT, showlegend: false,
      scene: { xaxis: { title: 'x' }, yaxis: { title: 'y' }, zaxis: { title: levels.log ? 'log f' : 'f' } } }, CONFIG);
  }
}

function curveRange(ys) {
  const finite = ys.filter(Number.isFinite);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const pad = (hi - lo) * 0.08 || 1;
  return [lo - pad, hi + pad];
}
