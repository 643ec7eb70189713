// kobai/report/page_script.hpp — the report page's style sheet and script (drawing only).
//
// The script reads the JSON document "kobai-data" (html_writer.hpp) and draws, per section:
//   map        1-D: the curve, each run's iterates on it, the tangent line at the current iterate;
//              2-D: contour lines (log levels when the data says so), −∇f arrows on request, the
//              known minima (★ global, ✕ local), each run's path as arrows
//   surface    2-D: f as a 3-D surface with each path lying on it
//   convergence  f − f* (or f) and ‖∇f‖ against iteration, log scale where the values allow it
//   table      how each run ended (status, verdict and its reason, …), and the command that
//              reproduces it
// One slider per section moves the current iterate of every run in it (play / pause / step).
// The slider's positions are iteration numbers (the union of the drawn iterations of the section's
// runs, at most max_drawn_points of them); each run shows its last drawn iterate at or before the
// slider's iteration, so runs with different strides stay in step.
// For tests and for the curious, window.kobai.sections[i] has {steps, setStep(t), step(), plots}.
#pragma once

#include <string_view>

namespace kobai::report {

inline constexpr std::string_view page_style = R"kobaicss(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 1em 1.5em; color: #222; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.3em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
p.text { margin: 0.3em 0; }
p.problem, p.note { color: #555; margin: 0.2em 0; font-size: 0.92em; }
p.note { font-style: italic; }
.plots { display: flex; flex-wrap: wrap; gap: 0.5em; }
.plot { flex: 1 1 560px; min-width: 380px; height: 460px; }
.plot.small { flex: 1 1 380px; height: 360px; }
.plot.convergence { height: 420px; }
.plot.surface { flex: 0 1 820px; height: 560px; }
.controls { display: flex; align-items: center; gap: 0.5em; margin: 0.5em 0; }
.controls button { font-size: 1em; min-width: 2.4em; padding: 0.15em 0.5em; }
.controls input[type=range] { flex: 1; }
.controls .position { min-width: 14em; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.number { font-variant-numeric: tabular-nums; }
/* The table of how runs ended has nine columns: it must fit the page (no sideways scrolling at
   1280 px and up). Names, statuses and numbers stay whole (a point breaks between coordinates);
   the text columns (hyperparameters, the verdict's reason, the message) take the rest of the
   width and break even inside long words when they must. */
table.end td.label, table.end td.number, table.end td.status, .verdict { white-space: nowrap; }
table.end td.point { white-space: normal; }
table.end td.text { overflow-wrap: anywhere; }
table.end .small { font-size: 0.9em; color: #555; margin-top: 0.2em; }
.verdict { font-weight: 600; padding: 0 0.4em; border-radius: 3px; }
.verdict.converged { background: #d8f0d8; } .verdict.oscillating { background: #fdf1c7; }
.verdict.diverged { background: #f8d4d4; } .verdict.descending { background: #e2e6f3; }
.verdict.stalled { background: #e8e8e8; }
pre.command { background: #f6f6f6; padding: 0.4em 0.6em; overflow-x: auto; margin: 0.2em 0; }
)kobaicss";

inline constexpr std::string_view page_script = R"kobaijs(
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('kobai-data').textContent);
  const root = document.getElementById('kobai-report');
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
                   '#17becf', '#bcbd22', '#7f7f7f'];
  const config = { responsive: true, displaylogo: false };
  // Moving the current iterates of a 1-D map: Plotly.restyle recomputes every trace of the plot;
  // an animation without redraw recomputes only the moved ones (a frame, ~30 ms). Not on a contour
  // map: that animation erases the contour lines (Plotly 2.35), so 2-D maps use restyle.
  const moveOnly = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' };
  function moveScatterOnly(div, xs, ys, ids) {
    // A newer step interrupts this one ('immediate') and Plotly rejects the interrupted animation's
    // promise with no reason: nothing is lost, the newer step draws the iterate. Real errors pass.
    return Plotly.animate(div, { data: xs.map((x, i) => ({ x: x, y: ys[i] })), traces: ids }, moveOnly)
      .catch((reason) => { if (reason !== undefined) throw reason; });
  }
  window.kobai = { data: data, sections: [], timings: [] };
  const started = performance.now();
  performance.mark('kobai:script-start');  // Plotly has loaded and run; the page's own work starts

  // Plotly for the 3-D surfaces is inert text in the page (html_writer.hpp) until a surface is
  // drawn: running it at load would cost as much as the rest of the opening. It is a UMD bundle;
  // run as CommonJS it hands over its Plotly without replacing window.Plotly (the flat plots' one).
  let plotly3dLibrary = null;
  function plotly3d() {
    if (plotly3dLibrary) return plotly3dLibrary;
    const source = document.getElementById('kobai-plotly-3d');
    if (!source) throw new Error('kobai report: this page has no 3-D Plotly (kobai-plotly-3d)');
    const module = { exports: {} };
    new Function('module', 'exports', source.textContent)(module, module.exports);
    plotly3dLibrary = module.exports;
    return plotly3dLibrary;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => {
      if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
    return node;
  }
  function fmt(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v !== 'number') return String(v);
    if (v === 0) return '0';
    const a = Math.abs(v);
    return a >= 1e-3 && a < 1e7 ? String(+v.toPrecision(10)) : v.toExponential(6);
  }
  function fmtPoint(x) { return '[' + x.map(fmt).join(', ') + ']'; }
  function color(r) { return palette[r % palette.length]; }
  // Coordinates far outside the drawing (a diverging run reaches 1e150) are left out of the
  // drawing: SVG cannot hold them. The table and the convergence plot still show them.
  function clamp(values, lo, hi) {
    const w = (hi - lo) || 1, a = lo - 1000 * w, b = hi + 1000 * w;
    return values.map((v) => (finite(v) && v >= a && v <= b ? v : null));
  }
  function finite(v) { return typeof v === 'number' && isFinite(v); }

  // The last drawn row of `run` whose iteration is <= it.
  function rowAt(run, it) {
    const its = run.path.iteration;
    let lo = 0, hi = its.length - 1;
    if (hi < 0) return -1;
    if (its[0] > it) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (its[mid] <= it) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function timeline(section) {
    const all = new Set();
    section.runs.forEach((run) => run.path.iteration.forEach((it) => all.add(it)));
    let steps = Array.from(all).sort((a, b) => a - b);
    const cap = Math.max(2, section.max_drawn_points);
    if (steps.length > cap) {
      const picked = [];
      for (let j = 0; j < cap; ++j) picked.push(steps[Math.round(j * (steps.length - 1) / (cap - 1))]);
      steps = picked;
    }
    return steps.length ? steps : [0];
  }

  // ---- 1-D: curve, iterates, tangent lines ---------------------------------------------------
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
  function map1d(div, section, runs, title, rows) {
    const traces = [{ x: section.curve.x, y: section.curve.f, mode: 'lines', name: 'f(x)',
                      line: { color: '#444', width: 2 }, hoverinfo: 'x+y' }];
    const p = section.problem;
    if (p.global_minimizers.length)
      traces.push({ x: p.global_minimizers.map((m) => m[0]), y: p.global_minimizers_values, mode: 'markers',
                    name: 'global minimum', marker: { symbol: 'star', size: 15, color: '#f2b600', line: { color: '#333', width: 1 } } });
    if (p.local_minimizers.length)
      traces.push({ x: p.local_minimizers.map((m) => m[0]), y: p.local_minimizers_values, mode: 'markers',
                    name: 'local minimum', marker: { symbol: 'x', size: 11, color: '#555' } });
    const moving = [];
    runs.forEach((run) => {
      const c = color(run.index);
      traces.push({ x: run.drawX, y: run.drawF, mode: 'lines+markers', name: run.label,
                    line: { color: c, width: 1 }, marker: { color: c, size: 6 }, opacity: 0.45 });
      moving.push({ run: run, iterate: traces.length, tangent: traces.length + 1 });
      const k = rows[run.index];
      traces.push({ x: [run.drawX[k]], y: [run.drawF[k]], mode: 'markers', name: run.label + ' iterate',
                    showlegend: false, marker: { color: c, size: 14, line: { color: '#fff', width: 2 } } });
      const t = tangent(section, run, k);
      traces.push({ x: t.x, y: t.y, mode: 'lines', name: run.label + ' tangent', showlegend: false,
                    line: { color: c, width: 2, dash: 'dash' } });
    });
    const xs = section.curve.x;
    const drawn = Plotly.newPlot(div, traces, {
      title: { text: title, x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 10, b: 40, l: 60 },
      xaxis: { title: { text: 'x' }, range: [xs[0], xs[xs.length - 1]] },
      yaxis: { title: { text: 'f(x)' }, range: curveRange(section) },
      legend: { orientation: 'h', y: -0.15 }
    }, config);
    return { drawn: drawn, update: function update(rows) {
      const xs = [], ys = [], ids = [];
      moving.forEach((m) => {
        const k = rows[m.run.index];
        xs.push([m.run.drawX[k]]); ys.push([m.run.drawF[k]]); ids.push(m.iterate);
        const t = tangent(section, m.run, k);
        xs.push(t.x); ys.push(t.y); ids.push(m.tangent);
      });
      return moveScatterOnly(div, xs, ys, ids);
    } };
  }

  // ---- 2-D: contour map with arrows, minima, gradient field -----------------------------------
  function contourTrace(grid, showscale) {
    const trace = { type: 'contour', x: grid.x, y: grid.y, z: grid.log ? grid.zlog : grid.z,
                    name: grid.log ? 'log10(f − f_min)' : 'f', ncontours: 30, showscale: showscale,
                    colorscale: 'Viridis', contours: { coloring: 'lines' }, line: { width: 1.2 },
                    hoverinfo: 'skip' };
    if (grid.log) {
      const zs = grid.zlog.flat().filter(finite);
      const lo = Math.ceil(Math.min(...zs)), hi = Math.floor(Math.max(...zs));
      const tickvals = [];
      for (let k = lo; k <= hi; ++k) tickvals.push(k);
      trace.colorbar = { title: { text: 'f − f_min' }, tickvals: tickvals, ticktext: tickvals.map((k) => '1e' + k) };
    } else {
      trace.colorbar = { title: { text: 'f' } };
    }
    return trace;
  }
  function fieldTrace(grid) {
    const f = grid.field, xs = [], ys = [];
    const L = 0.75 * (grid.x[grid.x.length - 1] - grid.x[0]) / 20;
    const H = 0.75 * (grid.y[grid.y.length - 1] - grid.y[0]) / 20;
    for (let i = 0; i < f.x.length; ++i) {
      const x0 = f.x[i], y0 = f.y[i], x1 = x0 + L * f.u[i], y1 = y0 + H * f.v[i];
      // the shaft, then two barbs at ±25° from the reversed direction
      xs.push(x0, x1, null); ys.push(y0, y1, null);
      const a = Math.atan2(-f.v[i], -f.u[i]);
      [0.45, -0.45].forEach((d) => {
        xs.push(x1, x1 + 0.35 * L * Math.cos(a + d), null);
        ys.push(y1, y1 + 0.35 * H * Math.sin(a + d), null);
      });
    }
    return { x: xs, y: ys, mode: 'lines', name: 'direction of −∇f', line: { color: '#999', width: 1 }, hoverinfo: 'skip' };
  }
  function minimaTraces(p) {
    const traces = [];
    if (p.global_minimizers.length)
      traces.push({ x: p.global_minimizers.map((m) => m[0]), y: p.global_minimizers.map((m) => m[1]), mode: 'markers',
                    name: 'global minimum', marker: { symbol: 'star', size: 16, color: '#f2b600', line: { color: '#333', width: 1 } } });
    if (p.local_minimizers.length)
      traces.push({ x: p.local_minimizers.map((m) => m[0]), y: p.local_minimizers.map((m) => m[1]), mode: 'markers',
                    name: 'local minimum', marker: { symbol: 'x', size: 11, color: '#555' } });
    return traces;
  }
  function map2d(div, section, runs, title, withField, rows) {
    const g = section.grid;
    const traces = [contourTrace(g, true)];
    if (withField && g.field) traces.push(fieldTrace(g));
    traces.push(...minimaTraces(section.problem));
    const moving = [];
    runs.forEach((run) => {
      const c = color(run.index);
      traces.push({ x: run.drawX, y: run.drawY, mode: 'lines+markers', name: run.label,
                    line: { color: c, width: 1.5 },
                    marker: { color: c, size: 8, symbol: 'arrow', angleref: 'previous' } });
      moving.push({ run: run, iterate: traces.length });
      const k = rows[run.index];
      traces.push({ x: [run.drawX[k]], y: [run.drawY[k]], mode: 'markers', name: run.label + ' iterate',
                    showlegend: false, marker: { color: c, size: 14, line: { color: '#fff', width: 2 } } });
    });
    const drawn = Plotly.newPlot(div, traces, {
      title: { text: title, x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 10, b: 40, l: 50 },
      xaxis: { title: { text: 'x' }, range: [g.x[0], g.x[g.x.length - 1]] },
      yaxis: { title: { text: 'y' }, range: [g.y[0], g.y[g.y.length - 1]] },
      legend: { orientation: 'h', y: -0.15 }
    }, config);
    return { drawn: drawn, update: function update(rows) {
      const xs = [], ys = [], ids = [];
      moving.forEach((m) => {
        const k = rows[m.run.index];
        xs.push([m.run.drawX[k]]); ys.push([m.run.drawY[k]]); ids.push(m.iterate);
      });
      return Plotly.restyle(div, { x: xs, y: ys }, ids);
    } };
  }
  function surface(div, section, runs, rows) {
    const Plotly3d = plotly3d();
    const g = section.grid;
    // every other grid line at most 60 per axis: a software-rendered WebGL surface costs ~ cells
    const every = Math.max(1, Math.ceil(g.x.length / 60));
    const pick = (a) => a.filter((_, i) => i % every === 0 || i === a.length - 1);
    const sub = { x: pick(g.x), y: pick(g.y), z: pick(g.z).map(pick), zlog: g.log ? pick(g.zlog).map(pick) : null };
    const traces = [{ type: 'surface', x: sub.x, y: sub.y, z: sub.z, name: 'f', showscale: false, opacity: 0.85,
                      colorscale: 'Viridis', surfacecolor: g.log ? sub.zlog : undefined, hoverinfo: 'x+y+z' }];
    const moving = [];
    runs.forEach((run) => {
      const c = color(run.index);
      traces.push({ type: 'scatter3d', x: run.drawX, y: run.drawY, z: run.drawF, mode: 'lines+markers',
                    name: run.label, line: { color: c, width: 4 }, marker: { color: c, size: 2 } });
      moving.push({ run: run, iterate: traces.length });
      const k = rows[run.index];
      traces.push({ type: 'scatter3d', x: [run.drawX[k]], y: [run.drawY[k]], z: [run.drawF[k]],
                    mode: 'markers', name: run.label + ' iterate', showlegend: false,
                    marker: { color: c, size: 6, line: { color: '#fff', width: 1 } } });
    });
    const drawn = Plotly3d.newPlot(div, traces, {
      title: { text: 'surface', x: 0.02, xanchor: 'left' }, margin: { t: 40, r: 0, b: 0, l: 0 },
      scene: { xaxis: { title: { text: 'x' }, range: [g.x[0], g.x[g.x.length - 1]] },
               yaxis: { title: { text: 'y' }, range: [g.y[0], g.y[g.y.length - 1]] },
               zaxis: { title: { text: 'f' } } },
      showlegend: false
    }, config);
    return { drawn: drawn, update: function update(rows) {
      const xs = [], ys = [], zs = [], ids = [];
      moving.forEach((m) => {
        const k = rows[m.run.index];
        xs.push([m.run.drawX[k]]); ys.push([m.run.drawY[k]]); zs.push([m.run.drawF[k]]);
        ids.push(m.iterate);
      });
      return Plotly3d.restyle(div, { x: xs, y: ys, z: zs }, ids);
    } };
  }

  // ---- every dimension: value and gradient norm against iteration ---------------------------
  function iterationRange(section) {
    const its = section.runs.map((run) => run.path.iteration).filter((a) => a.length);
    const lo = Math.min(...its.map((a) => a[0])), hi = Math.max(...its.map((a) => a[a.length - 1]));
    return its.length && hi > lo ? [lo, hi] : [0, 1];
  }
  function convergence(div, section, it) {
    const p = section.problem;
    const fstar = p.bounded_below && finite(p.minimum_value) ? p.minimum_value : null;
    const gaps = section.runs.map((run) => run.path.value.map((v) => (finite(v) && fstar !== null ? v - fstar : null)));
    const logValue = fstar !== null && gaps.every((g) => g.every((v) => v === null || v > 0));
    const traces = [];
    section.runs.forEach((run, r) => {
      const c = color(run.index);
      traces.push({ x: run.path.iteration, y: logValue ? gaps[r] : run.path.value, mode: 'lines',
                    name: run.label + (logValue ? ': f − f*' : ': f'), line: { color: c, width: 2 } });
      traces.push({ x: run.path.iteration, y: run.path.gradient_norm.map((v) => (v > 0 ? v : null)), mode: 'lines',
                    name: run.label + ': ‖∇f‖', yaxis: logValue ? 'y' : 'y2', line: { color: c, width: 1.5, dash: 'dot' } });
    });
    const layout = {
      title: { text: logValue ? 'f − f* and ‖∇f‖ by iteration' : 'f and ‖∇f‖ by iteration' },
      margin: { t: 40, r: 60, b: 40, l: 60 },
      // a fixed range: moving the marker line is then a redraw of the line alone, not a new autorange
      xaxis: { title: { text: 'iteration' }, range: iterationRange(section), autorange: false },
      yaxis: { type: logValue ? 'log' : 'linear', title: { text: logValue ? 'f − f*, ‖∇f‖' : 'f' }, exponentformat: 'e' },
      shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: it, x1: it, y0: 0, y1: 1, line: { color: '#888', width: 1, dash: 'dash' } }],
      legend: { orientation: 'h', y: -0.25 }
    };
    if (!logValue) layout.yaxis2 = { type: 'log', overlaying: 'y', side: 'right', title: { text: '‖∇f‖' }, exponentformat: 'e' };
    const drawn = Plotly.newPlot(div, traces, layout, config);
    return { drawn: drawn, update: function update(rows, it) {
      return Plotly.relayout(div, { 'shapes[0].x0': it, 'shapes[0].x1': it });
    } };
  }

  // ---- how each run ended -------------------------------------------------------------------
  function endTable(section) {
    // Nine columns, so the table fits the page: the optimizer goes under the run's label when the
    // two differ, and the evaluation counts under the iterations.
    const head = ['run', 'hyperparameters', 'status', 'verdict', 'iterations', 'final x', 'f(x)',
                  'max |∂f/∂xᵢ|', 'message'];
    const table = el('table', { class: 'end' }, [el('tr', {}, head.map((h) => el('th', { text: h })))]);
    const small = (text) => el('div', { class: 'small', text: text });
    section.runs.forEach((run) => {
      const cells = [
        el('td', { class: 'label' }, [run.label].concat(run.optimizer !== run.label ? [small(run.optimizer)] : [])),
        el('td', { class: 'text', text: run.hyperparameters.map(([k, v]) => k + ' ' + v).join(', ') }),
        el('td', { class: 'status', text: run.status + (run.diverged_at !== null ? ' at iteration ' + run.diverged_at : '') }),
        el('td', { class: 'text' }, [el('span', { class: 'verdict ' + run.verdict, text: run.verdict }),
                                     small(run.verdict_reason)]),
        el('td', { class: 'number' }, [String(run.iterations),
                                       small(run.function_evaluations + ' f, ' + run.gradient_evaluations + ' ∇f')]),
        el('td', { class: 'number point', text: fmtPoint(run.x) }),
        el('td', { class: 'number', text: fmt(run.value) }),
        el('td', { class: 'number', text: fmt(run.gradient_max_abs) }),
        el('td', { class: 'text', text: run.message })];
      table.appendChild(el('tr', {}, cells));
    });
    return table;
  }

  function thinningNote(section) {
    const notes = [];
    section.runs.forEach((run) => {
      if (run.recorded === 0) {
        notes.push(run.label + ': no history was recorded, so no path is drawn.');
      } else if (run.drawn < run.recorded || run.stride > 1) {
        notes.push(run.label + ': the path is thinned for drawing — ' + run.drawn + ' of ' + run.recorded +
                   ' recorded iterates are drawn' + (run.stride > 1 ? ' (the run kept one iterate in every ' + run.stride +
                   ' of its ' + run.iterations + ' iterations)' : '') + '; the final numbers are exact.');
      }
    });
    return notes;
  }

  // ---- drawing on demand ---------------------------------------------------------------------
  // Only the plots on the first screen are drawn before the page says it is ready; the rest are
  // drawn when they come near the viewport (a tour has dozens; a 3-D surface costs seconds in a
  // browser without a GPU), so the page opens as fast as its first screen draws.
  const allPlots = [];
  const isSurface = (p) => p.name.endsWith(':surface');
  // A browser keeps ~16 WebGL contexts and silently drops the oldest beyond that; Plotly's scene
  // whose context was dropped then throws (a tour has 17 surfaces). So at most this many surfaces
  // are drawn at a time: drawing one more purges the one drawn longest ago and releases its
  // context; that one is drawn again when it comes back into view.
  const maxLiveSurfaces = 8;
  const liveSurfaces = [];
  let surfaceObserver = null;  // set once the page is ready (observeTheRest)
  function retire(plot) {
    const canvases = Array.from(plot.div.querySelectorAll('canvas'));
    plotly3d().purge(plot.div);
    canvases.forEach((canvas) => {
      const gl = canvas.getContext('webgl') || canvas.getContext('experimental-webgl');
      const lose = gl && gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
    });
    plot.update = null;
    plot.drawn = null;
    if (surfaceObserver) surfaceObserver.observe(plot.div);
  }
  function drawNow(plot) {
    const t0 = performance.now();
    const drawing = plot.draw(plot.div, plot.section.rows(), plot.section.it());
    plot.update = drawing.update;
    window.kobai.timings.push([plot.name, performance.now() - t0]);
    return Promise.resolve(drawing.drawn);
  }
  // Draws `plot` once, at its section's current slider position; resolves when Plotly has drawn it.
  // A surface retires the oldest ones first, each once its own drawing has finished (purging a
  // plot that Plotly is still drawing breaks Plotly).
  function realize(plot) {
    if (plot.drawn) return plot.drawn;
    if (!isSurface(plot)) return (plot.drawn = drawNow(plot));
    const retiring = [];
    while (liveSurfaces.length >= maxLiveSurfaces) retiring.push(liveSurfaces.shift());
    liveSurfaces.push(plot);
    plot.drawn = Promise.all(retiring.map((old) => old.drawn.then(() => retire(old)))).then(() => drawNow(plot));
    return plot.drawn;
  }
  window.kobai.drawAll = () => Promise.all(allPlots.map(realize));

  // ---- one section --------------------------------------------------------------------------
  function renderSection(section, s) {
    section.runs.forEach((run, r) => {
      run.index = r;
      const span = (a) => { const f = a.flat(Infinity).filter(finite); return f.length ? [Math.min(...f), Math.max(...f)] : [0, 1]; };
      if (section.dimension === 1) {
        const xs = span(section.curve.x), fs = span(section.curve.f);
        run.drawX = clamp(run.path.x[0], xs[0], xs[1]);
        run.drawF = clamp(run.path.value, fs[0], fs[1]);
      } else if (section.dimension === 2) {
        const g = section.grid, zs = span(g.z);
        run.drawX = clamp(run.path.x[0], g.x[0], g.x[g.x.length - 1]);
        run.drawY = clamp(run.path.x[1], g.y[0], g.y[g.y.length - 1]);
        run.drawF = clamp(run.path.value, zs[0], zs[1]);
      }
    });
    const box = el('section', { id: 'section-' + s, class: 'section ' + section.layout });
    root.appendChild(box);
    if (section.title !== data.title || data.sections.length > 1) box.appendChild(el('h2', { text: section.title }));
    if (section.text) box.appendChild(el('p', { class: 'text', text: section.text }));
    const p = section.problem;
    box.appendChild(el('p', { class: 'problem', text: 'f = ' + p.formula + '  (' + p.name + ', ' + p.dimension + '-D' +
      (p.global_minimizers.length ? '; global minimum ' + p.global_minimizers.map(fmtPoint).join(', ') : '') + ')' }));
    thinningNote(section).forEach((n) => box.appendChild(el('p', { class: 'note', text: n })));

    const steps = timeline(section);
    const hasPath = section.runs.some((run) => run.path.iteration.length > 0);
    const controls = el('div', { class: 'controls' });
    const back = el('button', { type: 'button', title: 'step back', class: 'back', text: '◀' });
    const play = el('button', { type: 'button', title: 'play / pause', class: 'play', text: '▶' });
    const forward = el('button', { type: 'button', title: 'step', class: 'step', text: '▶|' });
    const slider = el('input', { type: 'range', min: '0', max: String(steps.length - 1), value: '0', step: '1',
                                 id: 'section-' + s + '-slider', class: 'slider' });
    const position = el('span', { class: 'position' });
    [back, play, forward, slider, position].forEach((n) => controls.appendChild(n));

    const plots = el('div', { class: 'plots' });
    const ids = { maps: [], surface: null, convergence: null };
    const sectionPlots = [];
    const addPlot = (name, cls, draw, parent) => {
      const div = el('div', { id: 'section-' + s + '-' + name, class: 'plot ' + (cls || '') });
      (parent || plots).appendChild(div);
      const plot = { name: s + ':' + name, div: div, draw: draw, update: null, drawn: null, section: null };
      sectionPlots.push(plot);
      return div;
    };
    if (hasPath && (section.dimension === 1 || section.dimension === 2)) box.appendChild(controls);
    box.appendChild(plots);
    if (section.dimension === 1 || section.dimension === 2) {
      const groups = section.layout === 'sweep' ? section.runs.map((run) => [run]) : [section.runs];
      groups.forEach((runs, m) => {
        const title = section.layout === 'sweep' ? runs[0].label + ': ' + runs[0].verdict
                    : (section.dimension === 1 ? 'f(x), iterates and tangent line' : 'contour map and path');
        const div = addPlot('map' + m, section.layout === 'sweep' ? 'small' : '', (d, rows) =>
          section.dimension === 1 ? map1d(d, section, runs, title, rows)
                                  : map2d(d, section, runs, title, !!section.grid.field, rows));
        ids.maps.push(div.id);
      });
    }
    ids.convergence = addPlot('convergence', 'convergence', (d, rows, it) => convergence(d, section, it)).id;
    box.appendChild(endTable(section));
    section.runs.forEach((run) => {
      box.appendChild(el('p', { class: 'problem', text: 'Reproduce ' + run.label + ':' }));
      box.appendChild(el('pre', { class: 'command', text: run.command || '(no command given)' }));
    });
    if (section.dimension === 2 && section.surface && section.layout !== 'sweep') {
      const more = el('div', { class: 'plots' });
      box.appendChild(more);
      ids.surface = addPlot('surface', 'surface', (d, rows) => surface(d, section, section.runs, rows), more).id;
    }

    let current = 0, timer = null;
    function setStep(t) {
      current = Math.max(0, Math.min(steps.length - 1, t | 0));
      slider.value = String(current);
      const it = steps[current];
      const rows = section.runs.map((run) => rowAt(run, it));
      position.textContent = 'iteration ' + it + '  (' + (current + 1) + ' of ' + steps.length + ')';
      return Promise.all(sectionPlots.filter((p) => p.update).map((p) => p.update(rows, it)));
    }
    const state = { rows: () => section.runs.map((run) => rowAt(run, steps[current])), it: () => steps[current] };
    sectionPlots.forEach((p) => { p.section = state; allPlots.push(p); });
    function pause() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = '▶'; }
    const delay = Math.max(30, Math.min(400, 9000 / steps.length));
    play.addEventListener('click', () => {
      if (timer !== null) { pause(); return; }
      if (current >= steps.length - 1) setStep(0);
      play.textContent = '❚❚';
      timer = setInterval(() => {
        if (current >= steps.length - 1) { pause(); return; }
        setStep(current + 1);
      }, delay);
    });
    back.addEventListener('click', () => { pause(); setStep(current - 1); });
    forward.addEventListener('click', () => { pause(); setStep(current + 1); });
    slider.addEventListener('input', () => { pause(); setStep(Number(slider.value)); });
    position.textContent = 'iteration ' + steps[0] + '  (1 of ' + steps.length + ')';
    window.kobai.sections.push({ steps: steps, setStep: setStep, step: () => current, plots: ids });
  }

  document.title = data.title;
  root.appendChild(el('h1', { text: data.title }));
  data.sections.forEach(renderSection);
  performance.mark('kobai:page-built');

  // The first screen: the flat plots whose top is above the fold, found with one layout of the
  // page before any plot is drawn (asking each plot's position after drawing the previous one
  // would lay the page out again every time). 3-D surfaces sit below the table and wait until a
  // quarter of one is on screen: with software WebGL one costs seconds.
  const fold = window.innerHeight;
  const firstScreen = allPlots.filter((p) => !isSurface(p) && p.div.getBoundingClientRect().top < fold);
  const firstScreenDrawn = Promise.all(firstScreen.map(realize));
  window.kobai.render_ms = performance.now() - started;

  // The page has opened when the frame holding the first screen's plots has been painted: two
  // animation frames after Plotly resolved (the second begins once the first was produced), and
  // not before the browser's first contentful paint. The slider's handlers are attached by then,
  // so it responds. Only after that are the other plots handed to the observers, so drawing them
  // does not delay the opening.
  function afterNextPaint() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }
  function firstContentfulPaint() {
    const seen = () => performance.getEntriesByName('first-contentful-paint').length > 0;
    if (seen() || !('PerformanceObserver' in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = new PerformanceObserver(() => { if (seen()) { watcher.disconnect(); resolve(); } });
      try { watcher.observe({ type: 'paint', buffered: true }); } catch (e) { resolve(); }
      setTimeout(resolve, 2000);  // a browser that never reports paints (or a blank page) still gets ready
    });
  }
  function observeTheRest() {
    const later = allPlots.filter((p) => !p.drawn);
    if (!('IntersectionObserver' in window)) { later.forEach(realize); return; }
    const drawWhenSeen = (options) => {
      const observer = new IntersectionObserver((entries) => entries.forEach((e) => {
        if (!e.isIntersecting) return;
        observer.unobserve(e.target);
        const plot = allPlots.find((p) => p.div === e.target);
        if (plot) realize(plot);
      }), options);
      return observer;
    };
    const nearby = drawWhenSeen({ rootMargin: '300px' });
    surfaceObserver = drawWhenSeen({ threshold: 0.25 });
    later.forEach((p) => (isSurface(p) ? surfaceObserver : nearby).observe(p.div));
  }
  firstScreenDrawn.then(afterNextPaint).then(firstContentfulPaint).then(() => {
    performance.mark('kobai:ready');
    window.kobai.ready_ms = performance.now();
    window.kobai.ready = true;
    observeTheRest();
  }, (error) => {
    console.error('kobai report: drawing the first screen failed:', error);
    observeTheRest();
  });
})();
)kobaijs";

}  // namespace kobai::report
