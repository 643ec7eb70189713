// The live part of a report: each section's settings — the start, the iteration limit and each
// run's hyperparameters (a click on the map moves the start) — and a rerun that recomputes the
// section's runs in the page with kobai's engine compiled to WebAssembly (the playground's: the
// same request, ../playground/engine.mjs and bindings/wasm/request.hpp), then draws the section
// again, its table included. The numbers first shown are the command's (computed natively, in the
// page's JSON); a rerun with unchanged settings computes the same bits.
import { loadEngine } from '../playground/engine.mjs';
import { optimizerCatalog, effectiveHyper } from '../playground/optimizers.mjs';
import { runCommand } from '../playground/command.mjs';
import { el, logControl } from '../playground/dom.mjs';
import { exact } from '../shared/format.mjs';
import { thinnedRows } from '../shared/history.mjs';

// The engine and its optimizers, started once, after the page has opened (report.mjs calls
// markOpened): starting it compiles ~0.6 MB of WebAssembly, which the opening need not wait for.
let opened = null;
const pageOpened = new Promise((resolve) => { opened = resolve; });
export function markOpened() { opened(); }
let starting = null;
export function startEngine() {
  if (!starting)
    starting = Promise.resolve().then(defineEngine).then(loadEngine)
      .then((engine) => ({ engine, catalog: optimizerCatalog(engine.optimizers()) }));
  return starting;
}

// The engine is inert text in the page (html_writer.hpp), so the opening does not parse its 0.9 MB.
// Emscripten's output run as CommonJS hands over its factory, as Plotly's 3-D bundle does (plots.mjs).
function defineEngine() {
  if (typeof window.createKobaiEngine === 'function') return;
  const source = document.getElementById('kobai-engine');
  if (!source) throw new Error('this page has no engine (kobai-engine)');
  const module = { exports: {} };
  new Function('module', 'exports', source.textContent)(module, module.exports);
  window.createKobaiEngine = module.exports;
}

// Names the command's records give a setting (PyTorch's) where the engine's request has another.
const RECORD_NAMES = { initial_accumulator: ['initial_accumulator_value', 'initial_square_avg'] };
const namesOf = (key) => [key, ...(RECORD_NAMES[key] || [])];

// A run's settings as the command ran them (the record's display text, read back exactly).
function recordedSettings(run, entry) {
  const out = {};
  for (const control of entry.keys) {
    const pair = run.hyperparameters.find(([name]) => namesOf(control.key).includes(name));
    if (!pair) continue;
    const text = pair[1];
    if (control.kind === 'bool') out[control.key] = text === 'true' || text === '1';
    else if (control.kind === 'choice') out[control.key] = text;
    else if (Number.isFinite(Number(text))) out[control.key] = Number(text);
  }
  return out;
}

const json = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// The engine's result as the page's JSON has a run (html_writer.hpp's write_run), its path thinned
// to the same rows the command's writer keeps.
function runFromResult(before, request, result, settings, entry, maxDrawn, command) {
  const h = result.history, n = h.dimension, rows = h.iterations.length;
  const picked = thinnedRows(rows, maxDrawn);
  const path = {
    iteration: picked.map((k) => h.iterations[k]),
    x: Array.from({ length: n }, (_, i) => picked.map((k) => json(h.x[k * n + i]))),
    value: picked.map((k) => json(h.values[k])),
    gradient_norm: picked.map((k) => json(h.gradient_norm[k])),
  };
  if (n === 1) path.slope = picked.map((k) => (h.gradients && Number.isFinite(h.x[k]) ? json(h.gradients[k]) : null));
  const text = (v) => (typeof v === 'boolean' ? String(v) : typeof v === 'number' ? exact(v) : v);
  let label = before.label;
  const hyperparameters = before.hyperparameters.map(([name, shown]) => {
    const control = entry.keys.find((c) => namesOf(c.key).includes(name));
    if (!control || !(control.key in settings)) return [name, shown];
    const now = text(settings[control.key]);
    // a sweep's run is labelled by the value it varies ("lr = 0.9"): the label follows it
    if (now !== shown && label === name + ' = ' + shown) label = name + ' = ' + now;
    return [name, now];
  });
  const gradient = Array.from(result.gradient || []);
  return {
    ...before, label, hyperparameters, command,
    status: result.status, message: result.message,
    verdict: result.verdict || '—', verdict_reason: result.verdict_reason || '',
    iterations: result.iterations, x: Array.from(result.x, json), value: json(result.value),
    gradient_max_abs: json(result.gradient_max_abs),
    gradient_norm: json(Math.sqrt(gradient.reduce((s, g) => s + g * g, 0))),
    function_evaluations: result.function_evaluations, gradient_evaluations: result.gradient_evaluations,
    diverged_at: result.diverged_at, recorded: rows,
    stride: rows > 1 ? h.iterations[1] - h.iterations[0] : 1, drawn: picked.length, path,
    request,
  };
}

// One control per setting (log-scale slider and box for rates, a box, a checkbox or a list).
function control(id, spec, value, onChange) {
  const label = el('span', { class: 'setting-name', text: spec.label || spec.key });
  if (spec.kind === 'log')
    return el('label', { class: 'setting' }, [label, logControl({ id, value, min: spec.min, max: spec.max,
      onChange: (v, final) => onChange(v, final) })]);
  if (spec.kind === 'bool') {
    const box = el('input', { type: 'checkbox', id, checked: !!value });
    box.addEventListener('change', () => onChange(box.checked, true));
    return el('label', { class: 'setting' }, [box, label]);
  }
  if (spec.kind === 'choice') {
    const list = el('select', { id }, spec.choices.map((c) => el('option', { value: c, text: c || 'none', selected: c === value })));
    list.addEventListener('change', () => onChange(list.value, true));
    return el('label', { class: 'setting' }, [label, list]);
  }
  const box = el('input', { type: 'number', id, value: String(value), step: 'any', class: 'num' });
  box.addEventListener('change', () => { if (box.value !== '' && Number.isFinite(Number(box.value))) onChange(Number(box.value), true); });
  return el('label', { class: 'setting' }, [label, box]);
}

// The settings of section `s` (null when none of its runs can be run again in the page).
export function livePanel(section, s, entry) {
  if (!section.runs.some((run) => run.rerun)) return null;
  const original = section.runs.slice();
  const first = original.find((run) => run.rerun).rerun;
  const dimension = first.start.length;
  const prefix = 'section-' + s;
  // What the user changed; anything left unchanged stays each run's own (as the command ran it).
  const changed = { start: null, iterations: null };
  let settings = null;  // per run, once the engine is there
  let busy = Promise.resolve();
  entry.reruns = 0;

  const status = el('span', { class: 'live-status', id: prefix + '-live-status', text: 'starting kobai\'s engine…' });
  const startBoxes = first.start.map((v, i) => {
    const box = el('input', { type: 'number', step: 'any', class: 'num start', id: prefix + '-start-' + i, value: String(v) });
    box.addEventListener('change', () => { changed.start = startBoxes.map((b) => Number(b.value)); rerun(); });
    return box;
  });
  const iterations = el('input', { type: 'number', min: '0', step: '1', class: 'num iterations', id: prefix + '-iterations',
    value: String(first.stopping.max_iterations) });
  iterations.addEventListener('change', () => { changed.iterations = Number(iterations.value); rerun(); });
  const rerunButton = el('button', { type: 'button', class: 'rerun', id: prefix + '-rerun', text: 'rerun', disabled: true });
  rerunButton.addEventListener('click', () => rerun());
  const resetButton = el('button', { type: 'button', class: 'reset', id: prefix + '-reset', text: 'the command\'s runs' });
  resetButton.addEventListener('click', () => reset());
  const runsBox = el('div', { class: 'live-runs' });
  const panel = el('details', { class: 'live', id: prefix + '-live' }, [
    el('summary', { text: 'Settings: change them and the runs are computed again here, by kobai\'s engine in the page' }),
    el('div', { class: 'live-row' }, [el('span', { text: 'start' }), ...startBoxes,
      el('span', { text: dimension === 2 ? '(or click on the map)' : '(or click on the curve)' }),
      el('span', { text: 'iterations' }), iterations, rerunButton, resetButton, status]),
    runsBox]);

  function fillRuns(catalog) {
    settings = original.map((run) => {
      const entryOf = run.rerun && catalog.find((o) => o.name === run.optimizer);
      return entryOf ? { entry: entryOf, values: recordedSettings(run, entryOf) } : null;
    });
    runsBox.replaceChildren(...original.map((run, r) => {
      const own = settings[r];
      if (!own) return el('div', { class: 'live-run' }, [el('b', { text: run.label }), ' (not run again in the page)']);
      const controls = own.entry.keys.map((spec) => control(prefix + '-run-' + r + '-' + spec.key, spec,
        spec.key in own.values ? own.values[spec.key] : spec.default, (v, final) => {
          own.values[spec.key] = v;
          if (final) rerun();
        }));
      return el('div', { class: 'live-run', id: prefix + '-run-' + r }, [el('b', { text: run.label + ' (' + run.optimizer + ')' }), ...controls]);
    }));
  }

  function requestFor(run, r) {
    const own = settings[r];
    const start = changed.start || run.rerun.start;
    const stopping = { ...run.rerun.stopping };
    if (changed.iterations !== null) stopping.max_iterations = changed.iterations;
    return { problem: run.rerun.problem, start, optimizer: run.optimizer, hyper: effectiveHyper(own.entry, own.values),
      stopping, history_max_rows: run.rerun.history_max_rows };
  }

  // Recomputes every run that can be, draws the section again; resolves when drawn.
  function rerun() {
    busy = busy.then(async () => {
      const { engine, catalog } = await startEngine();
      status.textContent = 'running…';
      status.classList.remove('live-error');
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const t0 = performance.now();
      const runs = [];
      for (const [r, run] of original.entries()) {
        if (!settings[r]) { runs.push(section.runs[r]); continue; }
        const request = requestFor(run, r);
        const result = engine.run(request);
        if (result.error) {
          status.textContent = run.label + ': ' + result.error;
          status.classList.add('live-error');
          return;
        }
        const command = runCommand({ problem: request.problem, stopping: request.stopping,
          runs: [{ optimizer: run.optimizer, hyper: settings[r].values, segments: [] }] }, catalog, 0, request.start);
        runs.push(runFromResult(run, request, result, settings[r].values, settings[r].entry, section.max_drawn_points, command));
      }
      const computed = performance.now() - t0;
      await entry.redraw(runs);
      entry.reruns += 1;
      status.textContent = 'computed in the page in ' + computed.toFixed(0) + ' ms';
    }).catch((error) => {
      status.textContent = 'rerun failed: ' + error.message;
      status.classList.add('live-error');
      console.error('kobai report: rerun failed:', error);
    });
    return busy;
  }

  // Back to the command's runs and settings.
  function reset() {
    busy = busy.then(async () => {
      changed.start = null;
      changed.iterations = null;
      startBoxes.forEach((b, i) => { b.value = String(first.start[i]); });
      iterations.value = String(first.stopping.max_iterations);
      const { catalog } = await startEngine();
      fillRuns(catalog);
      await entry.redraw(original.slice());
      status.textContent = 'the command\'s runs';
    });
    return busy;
  }

  // A click on the map (2-D) or the curve (1-D) starts every run there.
  const onMapClick = (event) => {
    const div = event.target.closest('.plot');
    if (!div || !/-map\d+$/.test(div.id) || !div._fullLayout || event.button !== 0) return;
    const size = div._fullLayout._size, rect = div.getBoundingClientRect();
    const px = event.clientX - rect.left - size.l, py = event.clientY - rect.top - size.t;
    if (px < 0 || py < 0 || px > size.w || py > size.h) return;
    const at = dimension === 2 ? [div._fullLayout.xaxis.p2l(px), div._fullLayout.yaxis.p2l(py)] : [div._fullLayout.xaxis.p2l(px)];
    changed.start = at.map((v) => Number(v.toPrecision(6)));
    startBoxes.forEach((b, i) => { b.value = String(changed.start[i]); });
    rerun();
  };
  entry.attach = (box) => box.addEventListener('click', onMapClick);

  pageOpened.then(startEngine).then(({ catalog }) => {
    fillRuns(catalog);
    rerunButton.disabled = false;
    status.textContent = '';
  }, (error) => {
    status.textContent = 'kobai\'s engine did not start: ' + error.message;
    status.classList.add('live-error');
  });
  entry.rerun = rerun;
  entry.reset = reset;
  return panel;
}
