// kobai playground: the page. Wires the controls, kobai's WebAssembly engine and the views.
//
// Flow: a control changes the state (app.change) → the engine reruns every run (engine.run, a few
// ms for thousands of iterations) → the views redraw → the state is written into the URL. Long
// work (the maps) goes to Web Workers (maps.mjs). window.kobai exposes the state and the runs for
// the browser test.
import { loadEngine, runAll, startOf, boxOf, gridField, curveField, arrowField, rowAt } from './engine.mjs';
import { optimizerCatalog, effectiveHyper, LINE_SEARCH_METHODS } from './optimizers.mjs';
import { defaultState, sanitize, toHash, fromHash } from './state.mjs';
import { Views, COLORS } from './views.mjs';
import { problemPanel, startPanel, runsPanel, stoppingPanel, presetPanel } from './panels.mjs';
import { el } from './dom.mjs';
import { lineSearchHtml, trialPoints, newtonModel } from './line_search_panel.mjs';
import { PRESETS, reproduces } from './presets.mjs';
import { pageCommand, basinCommand } from './command.mjs';
import { download, exportImage, exportGif, runsCsv, runsJson } from './exports.mjs';
import { WorkerPool, basinJobs, lrJobs, BasinMap, basinColor } from './maps.mjs';
import { short, point, escapeHtml } from '../shared/format.mjs';

const CONFIG = { displayModeBar: false, responsive: true };

class App {
  constructor(engine) {
    this.engine = engine;
    this.problems = engine.problems();
    this.catalog = optimizerCatalog(engine.optimizers());
    this.state = defaultState();
    this.problem = null;   // the engine's description of the problem drawn (the last good one)
    this.field = null;
    this.runs = [];
    this.playing = null;
    this.maps = {};
    this.timings = { lastRedrawMs: null };
  }

  // ---- state -------------------------------------------------------------------------------------
  initialState() {
    const fromUrl = fromHash(location.hash);
    if (fromUrl) return sanitize(fromUrl, this.catalog.map((o) => o.name));
    const script = document.getElementById('kobai-initial-state');
    const text = script ? script.textContent.trim() : '';
    if (text) {
      try { return sanitize({ ...defaultState(), ...JSON.parse(text) }, this.catalog.map((o) => o.name)); } catch { /* defaults */ }
    }
    return defaultState();
  }

  writeUrl() {
    const hash = toHash(this.state);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  currentStart() { return startOf(this.state, this.problem); }

  // Applies `mutate` to the state; then reruns (rerun: true), rebuilds the panel (panel: true).
  change(mutate, { rerun = true, panel = false, resetSegments = false } = {}) {
    mutate(this.state);
    if (resetSegments) for (const r of this.state.runs) if (r.segments.length) { r.hyper = currentHyper(r); r.segments = []; }
    if (panel) this.buildPanel();
    if (rerun) this.recompute();
    this.writeUrl();
  }

  // A hyperparameter control moved. In "continue" mode, the run goes on from the slider's iterate
  // with the new value (a segment); otherwise the run starts again with it.
  changeHyper(i, key, value, final) {
    const run = this.state.runs[i];
    const k = this.sliderIteration();
    if (this.state.onChange === 'continue' && k > 0) {
      const last = run.segments[run.segments.length - 1];
      if (last && last.at === k) last.hyper[key] = value;
      else {
        run.segments = run.segments.filter((g) => g.at < k);
        run.segments.push({ at: k, hyper: { ...currentHyper(run), [key]: value } });
      }
    } else {
      run.hyper = { ...currentHyper(run), [key]: value };
      run.segments = [];
    }
    this.recompute({ fast: !final });
    if (key === 'line_search') this.buildPanel();
    this.writeUrl();
  }

  setOptimizer(i, name) {
    this.change((s) => { s.runs[i] = { optimizer: name, hyper: {}, segments: [] }; }, { panel: true });
  }
  addRun() {
    const used = new Set(this.state.runs.map((r) => r.optimizer));
    const name = ['adam', 'momentum', 'rmsprop', 'adagrad', 'lbfgs', 'newton', 'gd', 'nadam'].find((n) => !used.has(n)) || 'adam';
    this.change((s) => { s.runs.push({ optimizer: name, hyper: {}, segments: [] }); }, { panel: true });
  }
  removeRun(i) {
    this.change((s) => { s.runs.splice(i, 1); s.selected = Math.min(s.selected, s.runs.length - 1); }, { panel: true });
  }

  // A problem by spec: on success it is drawn; a typed function that does not parse shows the
  // engine's message with a caret under the column, and the last good function stays drawn.
  // keepView: a state being restored (URL, start-up): its segments and slider stay as they are.
  setProblem(spec, { keepStart = false, keepView = false } = {}) {
    const d = this.engine.describeProblem(spec);
    const error = document.getElementById('expr-error');
    if (d.error) {
      if (error) { error.hidden = false; error.textContent = caretMessage(spec.expr || '', d); }
      return false;
    }
    if (error) error.hidden = true;
    if (d.dimension < 1 || d.dimension > 2) {
      if (error) { error.hidden = false; error.textContent = 'The playground draws functions of x or of x and y; this one has ' + d.dimension + ' variables.'; }
      return false;
    }
    const sameDimension = this.problem && this.problem.dimension === d.dimension;
    this.problem = d;
    this.state.problem = spec.expr !== undefined ? { expr: spec.expr } : { name: spec.name };
    if (!keepStart && !(sameDimension && spec.expr !== undefined)) this.state.start = Array.from(d.start);
    if (!keepView) {
      for (const r of this.state.runs) if (r.segments.length) { r.hyper = currentHyper(r); r.segments = []; }
      this.state.iteration = null;
    }
    this.computeField();
    this.buildPanel();
    this.recompute({ full: true });
    this.writeUrl();
    return true;
  }

  loadPreset(id) {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    const s = sanitize({ ...defaultState(), ...structuredClone(preset.state) }, this.catalog.map((o) => o.name));
    this.state = s;
    this.preset = preset;
    this.setProblem(s.problem, { keepStart: true });
    document.getElementById('preset-select').value = id;
    this.writeCaption();
  }

  // The caption is made from the settings now in force, not stored text (see presets.mjs).
  writeCaption() {
    const caption = document.getElementById('preset-caption');
    if (!caption || !this.preset) return;
    const parts = this.state.runs.map((run, i) => {
      const entry = this.catalog.find((o) => o.name === run.optimizer);
      const hyper = effectiveHyper(entry, currentHyper(run));
      const settings = Object.entries(hyper).map(([k, v]) => k + ' ' + (typeof v === 'number' ? short(v) : v)).join(', ');
      const r = this.runs[i] && this.runs[i].result;
      const outcome = r && !r.error ? ': ' + r.status + ' after ' + r.iterations + ' iterations at ' + point(r.x, 9) : '';
      return run.optimizer + (settings ? ' (' + settings + ')' : '') + outcome;
    });
    const name = this.state.problem.name || 'f';
    // once the function or the optimizers are no longer the preset's, it is only where this began
    const same = JSON.stringify(this.state.problem) === JSON.stringify(this.preset.state.problem) &&
      this.state.runs.map((r) => r.optimizer).join() === this.preset.state.runs.map((r) => r.optimizer).join();
    let text = (same ? this.preset.id + ': ' : 'Started from preset ' + this.preset.id + ', now: ') + name + ' from ' + point(this.currentStart()) + ', at most ' +
      this.state.stopping.max_iterations + ' iterations; ' + parts.join('; ') + '.';
    const r = this.runs[0] && this.runs[0].result;
    if (same && this.preset.seed && r && !r.error) {
      const ok = reproduces(this.preset, Array.from(r.x));
      text += ' The seed printed ' + point(this.preset.seed, 9) + (ok ? ': reproduced.'
        : this.preset.seedDiffers ? ': differs, as kobai tour explains (its note for this row).' : ': not reproduced with these settings.');
    }
    caption.textContent = text;
  }

  // ---- computing -----------------------------------------------------------------------------------
  computeField() {
    const box = boxOf(this.problem);
    if (this.problem.dimension === 2) {
      this.field = gridField(this.engine, this.state.problem, box, 160);
      this.arrows = null;
    } else {
      this.field = curveField(this.engine, this.state.problem, box, 400);
    }
    this.fieldKey = JSON.stringify(this.state.problem);
  }

  // Reruns every run and redraws. fast: during a drag or a slider move of a hyperparameter, only
  // the paths are restyled (the field and the panel stay).
  recompute({ full = false, fast = false, live = false } = {}) {
    const t0 = performance.now();
    this.runs = runAll(this.engine, this.state, this.catalog, this.problem).map((r, i) => ({
      ...r, label: labelOf(this.state.runs[i], i),
    }));
    const start = this.currentStart();
    const iteration = this.sliderIteration();
    const startValue = this.problem.dimension === 1 ? this.engine.evaluate(this.state.problem, start).values[0] : null;
    this.field.startValue = startValue;
    if (live && this.views.live) {
      this.views.drawLive({ start, startValue, runs: this.runs, iteration });
    } else if (!full && this.views.base && this.views.base.runs.length === this.runs.length && this.views.base.dim === this.problem.dimension) {
      this.views.updatePaths({ start, startValue, runs: this.runs, iteration });
    } else {
      if (this.state.arrows && this.problem.dimension === 2 && !this.arrows) this.arrows = arrowField(this.engine, this.state.problem, boxOf(this.problem), 16);
      const spec = this.state.problem;
      const curvatureAt = this.problem.has_hessian ? (x) => {
        const c = this.engine.curvature(spec, [x]);
        return c.error ? null : c.eigenvalues[0];
      } : null;
      this.views.drawMain({ problem: this.problem, field: this.field, arrows: this.arrows, start, runs: this.runs, iteration,
        showArrows: this.state.arrows, curvatureAt });
      this.overlayShown = false;  // a fresh plot has empty overlays
    }
    this.updateSlider();
    if (!fast) this.redrawSecondary();
    else { clearTimeout(this.secondaryTimer); this.secondaryTimer = setTimeout(() => this.redrawSecondary(), 120); }
    this.timings.lastRedrawMs = performance.now() - t0;
  }

  redrawSecondary() {
    const iteration = this.sliderIteration();
    this.views.drawConvergence({ runs: this.runs, fStar: this.fStar(), iteration });
    this.renderTable();
    this.renderExplanations();
    this.renderStatePanel();
    this.renderFormula();
    if (this.state.surface) this.drawSurface();
    this.writeCaption();
    const command = document.getElementById('command');
    if (command) command.textContent = pageCommand(this.state, this.catalog, this.currentStart());
  }

  // f*: the problem's known minimum, else the lowest value any run reached.
  fStar() {
    if (this.problem.global_minimizers.length > 0 && this.problem.bounded_below) return this.problem.minimum_value;
    let m = Infinity;
    for (const r of this.runs) if (r.result && !r.result.error) for (const v of r.result.history.values) m = Math.min(m, v);
    return Number.isFinite(m) ? m : 0;
  }

  lastIteration() {
    let m = 0;
    for (const r of this.runs) if (r.result && !r.result.error) m = Math.max(m, r.result.iterations);
    return m;
  }
  sliderIteration() {
    const last = this.lastIteration();
    return this.state.iteration === null ? last : Math.min(this.state.iteration, last);
  }

  // ---- the slider ----------------------------------------------------------------------------------
  updateSlider() {
    const slider = document.getElementById('slider');
    slider.max = String(this.lastIteration());
    slider.value = String(this.sliderIteration());
    document.getElementById('slider-label').textContent = 'iteration ' + this.sliderIteration() + ' of ' + this.lastIteration();
  }
  moveSlider(iteration) {
    const last = this.lastIteration();
    const k = Math.max(0, Math.min(last, Math.round(iteration)));
    this.state.iteration = k === last ? null : k;
    this.views.moveTo(k);
    this.views.moveConvergenceCursor(k);
    document.getElementById('slider').value = String(k);
    document.getElementById('slider-label').textContent = 'iteration ' + k + ' of ' + last;
    this.renderStatePanel();
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => this.writeUrl(), 200);
  }
  play() {
    if (this.playing) { this.pause(); return; }
    const last = this.lastIteration();
    if (this.sliderIteration() >= last) this.moveSlider(0);
    const steps = 120;  // a whole run in ~4 s at 30 frames per second, whatever its length
    const stride = Math.max(1, Math.ceil(last / steps));
    document.getElementById('play').textContent = '❚❚';
    const tick = () => {
      if (!this.playing) return;
      const next = this.sliderIteration() + stride;
      this.moveSlider(next);
      if (next >= last) { this.pause(); return; }
      this.playing = setTimeout(() => requestAnimationFrame(tick), 33);
    };
    this.playing = setTimeout(tick, 0);
  }
  pause() {
    clearTimeout(this.playing);
    this.playing = null;
    document.getElementById('play').textContent = '▶';
  }
  step(direction) {
    this.pause();
    // one recorded row of the first run forward or back
    const r = this.runs.find((q) => q.result && !q.result.error);
    if (!r) return;
    const h = r.result.history;
    const k = rowAt(h, this.sliderIteration());
    const target = h.iterations[Math.max(0, Math.min(h.iterations.length - 1, k + direction))];
    this.moveSlider(target);
  }

  // ---- pointer: click to start there, drag the start ---------------------------------------------
  attachPointer() {
    const plot = this.els.main;
    let dragging = false;
    let pending = null;
    const toData = (event) => {
      const layout = plot._fullLayout;
      if (!layout) return null;
      const rect = plot.getBoundingClientRect();
      const xa = layout.xaxis, ya = layout.yaxis;
      const px = event.clientX - rect.left - xa._offset, py = event.clientY - rect.top - ya._offset;
      if (px < 0 || px > xa._length || py < 0 || py > ya._length) return null;
      return [xa.p2l(px), ya.p2l(py)];
    };
    const apply = () => {
      const p = pending;
      pending = null;
      if (!p) return;
      const t0 = performance.now();
      this.state.start = this.problem.dimension === 2 ? [p[0], p[1]] : [p[0]];
      for (const r of this.state.runs) if (r.segments.length) { r.hyper = currentHyper(r); r.segments = []; }
      this.recompute({ fast: dragging, live: dragging });
      this.timings.pointerToPaths = performance.now() - t0;
    };
    const schedule = (p) => {
      const first = pending === null;
      pending = p;
      if (first) requestAnimationFrame(apply);
    };
    plot.addEventListener('pointerdown', (event) => {
      const p = toData(event);
      if (!p || event.button !== 0) return;
      dragging = true;
      if (this.overlayShown) { this.views.setOverlay({}); this.overlayShown = false; }
      if (plot.setPointerCapture && event.isTrusted) plot.setPointerCapture(event.pointerId);
      this.views.startLive();
      schedule(p);
      event.preventDefault();
    });
    plot.addEventListener('pointermove', (event) => {
      if (!dragging) return;
      const p = toData(event);
      if (p) schedule(p);
    });
    const end = (event) => {
      if (!dragging) return;
      dragging = false;
      if (plot.hasPointerCapture(event.pointerId)) plot.releasePointerCapture(event.pointerId);
      const p = toData(event);
      if (p) pending = p;
      requestAnimationFrame(() => {
        this.views.endLive();
        if (pending) apply(); else this.recompute();  // the paths back to Plotly, the other views redrawn
        this.syncStartInputs();
        this.writeUrl();
      });
    };
    plot.addEventListener('pointerup', end);
    plot.addEventListener('pointercancel', end);
  }

  syncStartInputs() {
    const s = this.currentStart();
    const x = document.getElementById('start-x'), y = document.getElementById('start-y');
    if (x) x.value = String(s[0]);
    if (y && s.length > 1) y.value = String(s[1]);
  }

  // ---- text panels -----------------------------------------------------------------------------------
  renderFormula() {
    const f = document.getElementById('problem-formula');
    if (f) f.textContent = 'f = ' + this.problem.formula + (this.problem.global_minimizers.length
      ? '   (minimum ' + short(this.problem.minimum_value) + ' at ' + this.problem.global_minimizers.map((m) => point(m)).join(', ') + ')' : '');
  }

  renderTable() {
    const rows = this.runs.map((r, i) => {
      const color = COLORS[i % COLORS.length];
      const entry = this.catalog.find((o) => o.name === r.request.optimizer);
      const settings = Object.entries(effectiveHyper(entry, currentHyper(this.state.runs[i])))
        .map(([k, v]) => k + ' ' + (typeof v === 'number' ? short(v) : v)).join(', ') || 'defaults';
      if (!r.result || r.result.error)
        return '<tr><td><span class="swatch" style="background:' + color + '"></span>' + escapeHtml(r.label) + '</td><td>' +
          escapeHtml(settings) + '</td><td colspan="6" class="error">' + escapeHtml(r.result ? r.result.error : 'no result') + '</td></tr>';
      const q = r.result;
      return '<tr data-run="' + i + '"><td><span class="swatch" style="background:' + color + '"></span>' + escapeHtml(r.label) +
        '</td><td>' + escapeHtml(settings) + '</td><td class="status-' + q.status + '">' + q.status + '</td><td>' + q.iterations +
        '</td><td>' + point(q.x, 8) + '</td><td>' + short(q.value, 8) + '</td><td>' + short(q.gradient_max_abs, 3) + '</td><td>' +
        q.function_evaluations + ' / ' + q.gradient_evaluations + '</td></tr><tr class="message"><td></td><td colspan="7">' +
        escapeHtml(q.message) + '</td></tr>';
    });
    document.getElementById('runs-table').innerHTML = '<thead><tr><th>run</th><th>settings</th><th>status</th><th>iterations</th>' +
      '<th>final x</th><th>f(x)</th><th>max |∂f|</th><th>f / ∇f evaluations</th></tr></thead><tbody>' + rows.join('') + '</tbody>';
  }

  // Why a run diverged, with the numbers behind it: the step against the local curvature.
  renderExplanations() {
    const out = [];
    this.runs.forEach((r, i) => {
      const q = r.result;
      if (!q || q.error || q.status !== 'diverged') return;
      const h = q.history;
      const dim = h.dimension;
      const last = h.iterations.length - 1;
      const x = Array.from(h.x.subarray(last * dim, (last + 1) * dim));
      const lr = currentHyper(this.state.runs[i]).lr ?? this.catalog.find((o) => o.name === r.request.optimizer).keys.find((k) => k.key === 'lr')?.default;
      let text = r.label + ' diverged at iteration ' + q.diverged_at + ': ' + q.message + '.';
      if (this.problem.has_hessian && lr !== undefined) {
        const c = this.engine.curvature(this.state.problem, x);
        if (!c.error) {
          const lmax = Math.max(...c.eigenvalues.map(Math.abs));
          const product = lr * lmax;
          if (r.request.optimizer === 'gd' && !(r.request.hyper.momentum > 0)) {
            text += ' At the last finite iterate ' + point(x) + ' the Hessian\'s largest eigenvalue is λ_max = ' + short(lmax) +
              ', so η·λ_max = ' + short(lr) + ' × ' + short(lmax) + ' = ' + short(product) + (product > 2
              ? ' > 2: along that eigenvector each gradient step multiplies the distance to the minimum by |1 − η·λ_max| = ' +
                short(Math.abs(1 - product)) + ' > 1, so the iterates move away faster and faster. A learning rate below 2/λ_max = ' +
                short(2 / lmax) + ' is stable there.'
              : ' ≤ 2 here; the run left the region where the function is bowl-shaped (the curvature grew along the way).');
          } else {
            text += ' At the last finite iterate ' + point(x) + ' the local curvature is λ_max = ' + short(lmax) + ' (2/λ_max = ' +
              short(2 / lmax) + '), against lr ' + short(lr) + ': steps this large overshoot the valley.';
          }
        }
      }
      out.push('<p class="diverged">' + escapeHtml(text) + '</p>');
    });
    document.getElementById('explanations').innerHTML = out.join('');
  }

  // The selected run at the slider: iterate, gradient, the step taken and the per-coordinate
  // effective step Δxᵢ / (−∂f/∂xᵢ) (for Adam, lr·m̂/(√v̂+ε)/g: how its scaling differs per coordinate).
  renderStatePanel() {
    const panel = document.getElementById('state-panel');
    const i = Math.min(this.state.selected, this.runs.length - 1);
    const r = this.runs[i];
    if (!r || !r.result || r.result.error) { panel.innerHTML = ''; return; }
    const h = r.result.history, dim = h.dimension;
    const k = rowAt(h, this.sliderIteration());
    const x = Array.from(h.x.subarray(k * dim, (k + 1) * dim));
    const g = h.gradients ? Array.from(h.gradients.subarray(k * dim, (k + 1) * dim)) : null;
    const lines = ['<b>' + escapeHtml(r.label) + '</b> at iteration ' + h.iterations[k] + ' (recorded every ' +
      (h.iterations.length > 1 ? h.iterations[1] - h.iterations[0] : 1) + ')',
      'x = ' + point(x, 8) + ', f = ' + short(h.values[k], 8)];
    if (g) lines.push('∇f = ' + point(g));
    if (k + 1 < h.iterations.length && g) {
      const next = Array.from(h.x.subarray((k + 1) * dim, (k + 2) * dim));
      const dx = next.map((v, d) => v - x[d]);
      lines.push('next step Δx = ' + point(dx) + (h.iterations[k + 1] - h.iterations[k] === 1
        ? ', effective step per coordinate Δxᵢ/(−∂f/∂xᵢ) = ' + point(dx.map((v, d) => (g[d] !== 0 ? -v / g[d] : NaN))) : ''));
    }
    lines.push((LINE_SEARCH_METHODS.includes(r.request.optimizer) || r.request.hyper.line_search
      ? 'step α of the search that reached this iterate: ' : 'learning rate: ') + short(h.learning_rates[k]));
    if (this.problem.has_hessian) {
      const c = this.engine.curvature(this.state.problem, x);
      if (!c.error) lines.push('Hessian eigenvalues ' + point(c.eigenvalues) + (r.request.optimizer === 'gd'
        ? '; η·λ_max = ' + short(h.learning_rates[k] * Math.max(...c.eigenvalues.map(Math.abs))) + ' (stable below 2)' : ''));
    }
    // the optimizer's named state after that many steps, as the engine reports it (a rerun up to k)
    const named = this.engine.run({ ...r.request, stop_at: h.iterations[k], state: true, history_max_rows: 2, gradients: false });
    if (named.state) {
      lines.push('state after ' + named.state.step + ' steps: ' + Object.entries(named.state.buffers)
        .map(([name, v]) => name + ' = ' + point(v)).concat(Object.entries(named.state.scalars).map(([name, v]) => name + ' = ' + short(v)))
        .join(', '));
    } else if (!named.error && !LINE_SEARCH_METHODS.includes(r.request.optimizer)) {
      lines.push('named state (m, v, momentum buffer, …): not exposed by this build\'s optimizers');
    }
    // a line search's trial steps at this iteration (and Newton's model), from a rerun that records them
    let searchHtml = '';
    let overlay = null;
    if (LINE_SEARCH_METHODS.includes(r.request.optimizer) || r.request.hyper.line_search) {
      const traced = this.engine.run({ ...r.request, stop_at: h.iterations[k] + 1, line_search_trace_at: h.iterations[k],
        state: false, history_max_rows: 2, gradients: false });
      const trace = traced.error ? null : traced.line_search_trace;
      if (trace) {
        const model = newtonModel(trace, dim);
        if (model) lines.push(...model.lines);
        searchHtml = lineSearchHtml(trace, r.label);
        overlay = { model: model && model.curve && model.curve.x.length ? model.curve : null, trials: trialPoints(trace, dim) };
      } else if (!traced.error) {
        lines.push('no line search at iteration ' + h.iterations[k] + ' (the run ended there)');
      }
    }
    this.lineSearchTrace = overlay ? overlay.trials : null;
    if (overlay || this.overlayShown) this.views.setOverlay(overlay || {});
    this.overlayShown = Boolean(overlay);
    const picker = this.runs.length > 1 ? '<select id="state-run">' + this.runs.map((q, j) =>
      '<option value="' + j + '"' + (j === i ? ' selected' : '') + '>' + escapeHtml(q.label) + '</option>').join('') + '</select> ' : '';
    panel.innerHTML = picker + lines.map((l) => '<div>' + l + '</div>').join('') + searchHtml;
    const sel = document.getElementById('state-run');
    if (sel) sel.onchange = () => { this.state.selected = Number(sel.value); this.renderStatePanel(); this.writeUrl(); };
  }

  // ---- the 3-D surface -------------------------------------------------------------------------------
  drawSurface() {
    if (!this.plotly3d) {
      const source = document.getElementById('kobai-plotly-3d');
      const module = { exports: {} };
      new Function('module', 'exports', source.textContent)(module, module.exports);
      this.plotly3d = module.exports;
    }
    if (this.problem.dimension === 2 && (!this.surfaceField || this.surfaceKey !== this.fieldKey)) {
      this.surfaceField = gridField(this.engine, this.state.problem, boxOf(this.problem), 50);
      this.surfaceKey = this.fieldKey;
    }
    this.views.drawSurface({ problem: this.problem, field: this.surfaceField, runs: this.runs, plotly3d: this.plotly3d });
  }

  // ---- maps --------------------------------------------------------------------------------------------
  mapRequest() {
    const i = Math.min(this.state.selected, this.state.runs.length - 1);
    const request = { ...this.runs[i].request, stopping: { ...this.state.stopping, max_iterations: this.state.map.maxIterations } };
    delete request.segments;
    delete request.history_max_rows;
    return request;
  }

  basinMap() {
    this.cancelMap('basin');
    if (this.problem.dimension !== 2) { this.mapStatus('basin', 'The basin map needs a function of x and y.'); return; }
    const n = this.state.map.resolution;
    const box = boxOf(this.problem);
    const request = this.mapRequest();
    const jobs = basinJobs(request, box, n);
    const canvas = document.createElement('canvas');
    canvas.width = n; canvas.height = n;
    const ctx = canvas.getContext('2d');
    const map = new BasinMap(n, this.state.map.maxIterations);
    const t0 = performance.now();
    const pool = this.workerPool();
    const info = { started: t0, firstMs: null, totalMs: null, done: 0, jobs: jobs.length, resolution: n, workers: pool.size, map };
    this.maps.basinInfo = info;
    const cell = [0, 1].map((d) => (box.upper[d] - box.lower[d]) / (n - 1));
    let dirty = false;
    let drawMs = 0;
    const plot = document.getElementById('basin-plot');
    const draw = () => {
      if (!dirty) return;
      dirty = false;
      const t1 = performance.now();
      ctx.putImageData(map.preview(), 0, 0);
      const minima = map.minima || [];
      Plotly.react(plot, [{ type: 'scatter', mode: 'markers', x: minima.map((m) => m[0]), y: minima.map((m) => m[1]),
        marker: { symbol: minima.map((_, k) => (k < map.known ? 'star' : 'diamond')), size: 12,
          color: minima.map((_, k) => basinColor(k)), line: { color: 'black', width: 1 } },
        name: 'minima', hoverinfo: 'x+y' }],
      { margin: { l: 50, r: 10, t: 10, b: 40 }, dragmode: false, showlegend: false,
        xaxis: { range: [box.lower[0], box.upper[0]], fixedrange: true }, yaxis: { range: [box.lower[1], box.upper[1]], fixedrange: true },
        // pixel (ix, iy) is centred on start (x_ix, y_iy): the grid runs edge to edge, so the
        // image reaches half a cell past the box
        images: [{ source: canvas.toDataURL(), xref: 'x', yref: 'y', x: box.lower[0] - cell[0] / 2, y: box.upper[1] + cell[1] / 2,
          sizex: box.upper[0] - box.lower[0] + cell[0], sizey: box.upper[1] - box.lower[1] + cell[1], sizing: 'stretch', layer: 'below' }] }, CONFIG);
      if (info.firstMs === null) info.firstMs = performance.now() - t0;
      drawMs = performance.now() - t1;
      info.draws = (info.draws || 0) + 1;
    };
    // Redraws while the workers run take the main thread's share of the cores: at most one per
    // 150 ms, and never more than a sixth of the time (a redraw costs 10–50 ms on a busy machine).
    const redrawLater = () => {
      this.maps.basinTimer = setTimeout(() => { draw(); redrawLater(); }, Math.max(150, 5 * drawMs));
    };
    redrawLater();
    this.mapStatus('basin', 'computing ' + n + ' × ' + n + ' starts in ' + pool.size + ' workers…');
    this.maps.basin = pool.run(jobs, {
      onResult: (j, answer) => {
        if (answer.error) return;
        map.add(jobs[j], answer);
        info.done += 1;
        dirty = true;
        if (info.done === 1) draw();
      },
      onDone: () => {
        clearTimeout(this.maps.basinTimer);
        map.finish();
        dirty = true;
        draw();
        info.totalMs = performance.now() - t0;
        const c = map.counts();
        info.counts = c;
        info.minima = map.minima;
        const legend = map.minima.map((m, k) => '<span class="swatch" style="background:' + basinColor(k) + '"></span>' +
          point(m, 4) + (k < map.known ? '' : ' (found)') + ': ' + c.perMinimum[k]).join(' · ');
        this.mapStatus('basin', 'done in ' + short(info.totalMs / 1000, 3) + ' s (' + pool.size + ' workers): ' + (n * n) + ' runs of ' +
          escapeHtml(request.optimizer) + ' (at most ' + this.state.map.maxIterations + ' iterations each), classified as kobai basin does ' +
          '(ends within ' + short(map.radius, 3) + ' of a minimum). Ends at ' + legend + ' · diverged (black): ' + c.diverged +
          ' · not converged (grey): ' + c.notConverged + '. Lighter = fewer iterations. The same map: <code>' +
          escapeHtml(basinCommand(this.state, request, n)) + '</code>', true);
        this.maps.basin = null;
      },
      onError: (e) => this.mapStatus('basin', 'error: ' + escapeHtml(e)),
    });
  }

  lrMap() {
    this.cancelMap('lr');
    const request = this.mapRequest();
    if (LINE_SEARCH_METHODS.includes(request.optimizer) || request.hyper.line_search) {
      this.mapStatus('lr', request.optimizer + ' chooses its own steps: the learning-rate map is for first-order optimizers.');
      return;
    }
    const start = this.currentStart();
    const jobs = lrJobs(request, start, 1e-5, 10, 96);
    const points = [];
    const t0 = performance.now();
    const info = { firstMs: null, totalMs: null, done: 0, jobs: jobs.length };
    this.maps.lrInfo = info;
    const fStar = this.fStar();
    // the bound η < 2/λ_max at the minimum nearest the start (gradient descent; heavy-ball
    // momentum μ: η < 2(1 + μ)/λ_max)
    let bound = null;
    const minima = [...this.problem.global_minimizers, ...this.problem.local_minimizers];
    if (this.problem.has_hessian && minima.length && (request.optimizer === 'gd' || request.optimizer === 'momentum')) {
      const nearest = minima.reduce((a, b) => (dist(a, start) <= dist(b, start) ? a : b));
      const c = this.engine.curvature(this.state.problem, nearest);
      if (!c.error) {
        const mu = request.optimizer === 'momentum' ? (request.hyper.momentum ?? 0.9) : (request.hyper.momentum ?? 0);
        const nesterov = request.hyper.nesterov === true;
        if (!nesterov) bound = { value: (2 * (1 + mu)) / Math.max(...c.eigenvalues), at: nearest, mu };
      }
    }
    const plot = document.getElementById('lr-plot');
    const draw = () => {
      const byStatus = [[0, 'converged', '#2ca02c'], [1, 'iteration limit', '#ff7f0e'], [2, 'diverged', '#000000']];
      const iterationsShown = this.state.map.lrMeasure === 'iterations';
      const traces = byStatus.map(([s, name, color]) => {
        const ps = points.filter((p) => p.status === s).sort((a, b) => a.lr - b.lr);
        return { type: 'scatter', mode: 'markers', name, x: ps.map((p) => p.lr),
          y: ps.map((p) => (s === 2 ? null : iterationsShown ? Math.max(p.iterations, 1) : Math.max(p.value - fStar, 1e-300))), marker: { color, size: 7 },
          text: ps.map((p) => 'lr ' + short(p.lr) + '<br>' + p.iterations + ' iterations'), hoverinfo: 'text+y' };
      });
      // diverged runs have no final value: drawn on the top edge
      const div = points.filter((p) => p.status === 2);
      traces[2].y = div.map(() => null);
      traces.push({ type: 'scatter', mode: 'markers', name: 'diverged', x: div.map((p) => p.lr), y: div.map(() => 1),
        yaxis: 'y2', marker: { color: 'black', symbol: 'x', size: 8 }, hoverinfo: 'x' });
      const shapes = bound ? [{ type: 'line', xref: 'x', yref: 'paper', x0: bound.value, x1: bound.value, y0: 0, y1: 1,
        line: { color: '#d62728', dash: 'dash' } }] : [];
      const annotations = bound ? [{ xref: 'x', yref: 'paper', x: Math.log10(bound.value), y: 1, yanchor: 'bottom', showarrow: false,
        text: (bound.mu ? '2(1+μ)/λ_max' : '2/λ_max') + ' = ' + short(bound.value), font: { color: '#d62728' } }] : [];
      Plotly.react(plot, traces.filter((t, k) => k !== 2), { margin: { l: 60, r: 10, t: 24, b: 40 }, dragmode: false, shapes, annotations,
        xaxis: { type: 'log', title: { text: 'learning rate' }, exponentformat: 'power', fixedrange: true },
        yaxis: { type: 'log', title: { text: iterationsShown ? 'iterations' : 'final f − f*' }, exponentformat: 'power', fixedrange: true },
        yaxis2: { overlaying: 'y', range: [0, 1.05], visible: false, fixedrange: true },
        legend: { orientation: 'h', y: -0.25 } }, CONFIG);
      if (info.firstMs === null) info.firstMs = performance.now() - t0;
    };
    this.lrDraw = draw;
    this.mapStatus('lr', 'computing 96 runs of ' + escapeHtml(request.optimizer) + '…');
    this.maps.lr = this.workerPool().run(jobs, {
      workers: Math.min(4, navigator.hardwareConcurrency || 2),
      onResult: (_j, answer) => { for (const p of answer.lrs || []) if (!p.error) points.push(p); info.done += 1; draw(); },
      onDone: () => {
        info.totalMs = performance.now() - t0;
        this.mapStatus('lr', 'done: final f − f* (or, by the menu, the iterations used) after at most ' + this.state.map.maxIterations + ' iterations of ' + escapeHtml(request.optimizer) +
          ' from ' + point(start) + ' against the learning rate' + (bound ? '; dashed: the stability bound at the minimum ' +
          point(bound.at) + ', ' + short(bound.value) : '') + '.', true);
        this.maps.lr = null;
      },
      onError: (e) => this.mapStatus('lr', 'error: ' + escapeHtml(e)),
    });
  }

  // The pool started at load; while one map uses it, another map gets a pool of its own.
  workerPool() {
    const source = () => document.getElementById('kobai-engine').textContent;
    if (!this.pool) this.pool = new WorkerPool(source());
    if (!this.pool.busy) return this.pool;
    if (!this.spare || this.spare.busy) this.spare = new WorkerPool(source(), Math.min(4, this.pool.size));
    return this.spare;
  }

  cancelMap(which) {
    if (this.maps[which]) { this.maps[which].cancel(); this.maps[which] = null; this.mapStatus(which, 'cancelled'); }
    if (which === 'basin' && this.maps.basinTimer) clearTimeout(this.maps.basinTimer);
  }

  mapStatus(which, html, done = false) {
    const e = document.getElementById(which + '-status');
    e.innerHTML = html;
    e.dataset.done = done ? '1' : '0';
  }

  // ---- the page ------------------------------------------------------------------------------------
  buildLayout() {
    const app = document.getElementById('app');
    const button = (id, text, onclick, title) => el('button', { id, text, onclick, title });
    const main = el('div', { id: 'main-plot', class: 'plot main-plot' });
    const mainBox = el('div', { class: 'main-box' }, [main]);
    const sliderRow = el('div', { class: 'slider-row' }, [
      button('back', '◀', () => this.step(-1), 'step back'),
      button('play', '▶', () => this.play(), 'play / pause'),
      button('forward', '▶|', () => this.step(1), 'step'),
      el('input', { type: 'range', id: 'slider', min: 0, max: 0, value: 0, oninput: (e) => { this.pause(); this.moveSlider(Number(e.target.value)); } }),
      el('span', { id: 'slider-label' }),
    ]);
    const viewToggles = el('div', { class: 'toggles' }, [
      el('label', {}, [el('input', { type: 'checkbox', id: 'toggle-arrows', checked: this.state.arrows, onchange: (e) => {
        this.state.arrows = e.target.checked;
        if (this.state.arrows && !this.arrows && this.problem.dimension === 2) this.arrows = arrowField(this.engine, this.state.problem, boxOf(this.problem), 16);
        this.views.setArrows(this.state.arrows, this.arrows);
        this.writeUrl();
      } }), ' −∇f arrows']),
      el('label', {}, [el('input', { type: 'checkbox', id: 'toggle-surface', checked: this.state.surface, onchange: (e) => {
        this.state.surface = e.target.checked;
        document.getElementById('surface-plot').hidden = !this.state.surface;
        if (this.state.surface) this.drawSurface();
        this.writeUrl();
      } }), ' 3-D surface']),
    ]);
    const exportsRow = el('div', { class: 'exports' }, [
      button('copy-command', 'copy as command', () => {
        const text = pageCommand(this.state, this.catalog, this.currentStart());
        if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
        document.getElementById('command').textContent = text;
      }),
      button('export-png', 'PNG', () => exportImage(this.els.main, 'png', 'kobai-playground.png')),
      button('export-svg', 'SVG', () => exportImage(this.els.main, 'svg', 'kobai-playground.svg')),
      button('export-gif', 'GIF', () => this.exportAnimation()),
      button('export-csv', 'CSV', () => download('kobai-runs.csv', runsCsv(this.runs), 'text/csv')),
      button('export-json', 'JSON', () => download('kobai-runs.json', runsJson(this.state, this.runs), 'application/json')),
    ]);
    const mapControls = el('div', { class: 'map-controls' }, [
      el('label', {}, ['grid ', el('select', { id: 'map-resolution', onchange: (e) => { this.state.map.resolution = Number(e.target.value); this.writeUrl(); } },
        [32, 64, 128, 200, 256].map((n) => el('option', { value: n, text: n + ' × ' + n, selected: n === this.state.map.resolution })))]),
      el('label', {}, [' at most ', el('input', { type: 'number', class: 'num', id: 'map-iterations', value: String(this.state.map.maxIterations),
        onchange: (e) => { const v = Math.round(Number(e.target.value)); if (v >= 1 && v <= 100000) { this.state.map.maxIterations = v; this.writeUrl(); } } }), ' iterations, for the selected run\'s optimizer ']),
      button('basin-start', 'basin map', () => this.basinMap()),
      button('basin-cancel', 'cancel', () => this.cancelMap('basin')),
      button('lr-start', 'learning-rate map', () => this.lrMap()),
      el('select', { id: 'lr-measure', title: 'what the learning-rate map shows', onchange: (e) => { this.state.map.lrMeasure = e.target.value; this.writeUrl(); if (this.lrDraw) this.lrDraw(); } },
        [['value', 'of final f − f*'], ['iterations', 'of iterations']].map(([v, t]) => el('option', { value: v, text: t, selected: this.state.map.lrMeasure === v }))),
      button('lr-cancel', 'cancel', () => this.cancelMap('lr')),
    ]);
    this.els = { main };
    app.replaceChildren(
      el('header', {}, [el('h1', { text: 'kobai playground' }),
        el('p', { class: 'lead', text: 'Gradient descent and its relatives, computed in your browser by kobai\'s own C++ engine (WebAssembly). Click the plot to start there; drag to move the start.' })]),
      el('div', { class: 'layout' }, [
        el('aside', { id: 'panel' }),
        el('main', {}, [
          mainBox, sliderRow, viewToggles,
          el('div', { id: 'explanations' }),
          el('table', { id: 'runs-table', class: 'runs' }),
          el('pre', { id: 'command', class: 'command' }),
          exportsRow,
          el('div', { class: 'row2' }, [el('div', { id: 'values-plot', class: 'plot small-plot' }), el('div', { id: 'gradients-plot', class: 'plot small-plot' })]),
          el('h3', { text: 'State of the selected run' }), el('div', { id: 'state-panel', class: 'state-panel' }),
          el('div', { id: 'surface-plot', class: 'plot surface-plot', hidden: !this.state.surface }),
          el('h3', { text: 'Maps (computed in Web Workers)' }), mapControls,
          el('div', { class: 'row2' }, [
            el('div', {}, [el('div', { id: 'basin-plot', class: 'plot map-plot' }), el('p', { id: 'basin-status', class: 'caption' })]),
            el('div', {}, [el('div', { id: 'lr-plot', class: 'plot map-plot' }), el('p', { id: 'lr-status', class: 'caption' })]),
          ]),
        ]),
      ]));
    this.views = new Views({ main, values: document.getElementById('values-plot'), gradients: document.getElementById('gradients-plot'),
      surface: document.getElementById('surface-plot') });
  }

  buildPanel() {
    const panel = document.getElementById('panel');
    panel.replaceChildren(problemPanel(this), startPanel(this, this.problem.dimension, this.currentStart()), runsPanel(this),
      stoppingPanel(this), presetPanel(this));
    if (this.preset) document.getElementById('preset-select').value = this.preset.id;
  }

  async exportAnimation() {
    const last = this.lastIteration();
    const frames = 16;
    const its = Array.from({ length: frames }, (_, k) => Math.round((last * k) / (frames - 1)));
    const keep = this.sliderIteration();
    const size = await exportGif(this.els.main, its, async (it) => { this.views.moveTo(it); }, 'kobai-playground.gif');
    this.moveSlider(keep);
    return size;
  }

  start() {
    this.state = this.initialState();
    this.buildLayout();
    const ok = this.setProblem(this.state.problem, { keepStart: true, keepView: true });
    if (!ok) { this.state = defaultState(); this.setProblem(this.state.problem, { keepStart: true }); }
    this.attachPointer();
    // the maps' workers compile their engines in the background once the page is up
    setTimeout(() => this.workerPool(), 500);
    window.addEventListener('hashchange', () => {
      const s = fromHash(location.hash);
      if (!s || toHash(this.state) === location.hash) return;
      this.state = sanitize(s, this.catalog.map((o) => o.name));
      this.buildLayout();
      this.attachPointer();
      this.setProblem(this.state.problem, { keepStart: true, keepView: true });
    });
  }
}

function currentHyper(run) {
  return run.segments.length ? run.segments[run.segments.length - 1].hyper : run.hyper;
}

function labelOf(run, i) {
  return (i + 1) + '. ' + run.optimizer;
}

function dist(a, b) { return Math.hypot(a[0] - b[0], (a[1] || 0) - (b[1] || 0)); }

// The engine's parse error as three lines: the reason, the text, a caret under the column.
function caretMessage(text, d) {
  if (d.position === undefined) return d.error;
  return 'column ' + (d.position + 1) + ': ' + d.reason + '\n' + text.replace(/[\n\t]/g, ' ') + '\n' + ' '.repeat(d.position) + '^';
}

async function main() {
  const t0 = performance.now();
  const engine = await loadEngine();
  const app = new App(engine);
  app.start();
  window.kobai = { app, engine, get state() { return app.state; }, get runs() { return app.runs; },
    readyMs: performance.now() - t0, ready: true };
}

main().catch((e) => {
  const app = document.getElementById('app');
  if (app) app.textContent = 'kobai playground failed to start: ' + e.message;
  console.error(e);
});
