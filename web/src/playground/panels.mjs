// The control panel: problem, start, optimizers with their hyperparameters, stopping rules, what a
// change does (rerun or continue), presets. Each control calls app.change(mutator, how) and the
// app recomputes; the panel is rebuilt only when its shape changes (another problem, optimizer).
import { el, logControl } from './dom.mjs';
import { valueOf } from './optimizers.mjs';
import { COLORS } from './views.mjs';
import { PRESETS, NOT_PRESETS } from './presets.mjs';
import { short } from '../shared/format.mjs';

export function problemPanel(app) {
  const { state, problems } = app;
  const select = el('select', { id: 'problem-select', onchange: () => {
    const v = select.value;
    if (v === '(typed)') { exprBox.hidden = false; exprInput.focus(); return; }
    exprBox.hidden = true;
    app.setProblem({ name: v });
  } });
  for (const p of problems.filter((q) => q.dimension <= 2))
    select.append(el('option', { value: p.name, text: p.name + ' (' + p.dimension + '-D)' }));
  select.append(el('option', { value: '(typed)', text: 'type f(x) or f(x, y)…' }));
  const typed = state.problem.expr !== undefined;
  select.value = typed ? '(typed)' : state.problem.name;
  const exprInput = el('input', { id: 'expr-input', type: 'text', spellcheck: 'false', autocomplete: 'off',
    value: typed ? state.problem.expr : '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
    placeholder: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2' });
  let timer = null;
  exprInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => app.setProblem({ expr: exprInput.value }), 250);
  });
  exprInput.addEventListener('change', () => { clearTimeout(timer); app.setProblem({ expr: exprInput.value }); });
  const error = el('pre', { id: 'expr-error', class: 'expr-error', hidden: true });
  const exprBox = el('div', { class: 'expr-box', hidden: !typed }, [exprInput, error]);
  const formula = el('div', { id: 'problem-formula', class: 'formula' });
  return el('section', { class: 'panel' }, [el('h3', { text: 'Function' }), select, exprBox, formula]);
}

export function startPanel(app, dimension, start) {
  const inputs = [];
  const names = dimension === 1 ? ['x'] : ['x', 'y'];
  names.forEach((n, i) => {
    inputs.push(el('label', {}, [n + ' ', el('input', { type: 'number', step: 'any', class: 'num', id: 'start-' + n,
      value: String(start[i]), onchange: (e) => {
        const v = Number(e.target.value);
        if (!Number.isFinite(v)) return;
        app.change((s) => { s.start = app.currentStart().slice(); s.start[i] = v; }, { rerun: true, resetSegments: true });
      } })]));
  });
  return el('section', { class: 'panel' }, [el('h3', { text: 'Start (or click the plot)' }), ...inputs]);
}

function hyperControl(app, runIndex, entry, hyper, k) {
  const id = 'run-' + runIndex + '-' + k.key;
  const set = (value, final) => app.changeHyper(runIndex, k.key, value, final);
  const value = valueOf(entry, hyper, k.key);
  let control;
  if (k.kind === 'log') control = logControl({ id, value, min: k.min, max: k.max, onChange: set });
  else if (k.kind === 'bool') control = el('input', { type: 'checkbox', id, checked: Boolean(value), onchange: (e) => set(e.target.checked, true) });
  else if (k.kind === 'choice')
    control = el('select', { id, onchange: (e) => set(e.target.value, true) },
      k.choices.map((c) => el('option', { value: c, text: c === '' ? 'none' : c, selected: c === value })));
  else control = el('input', { type: 'number', id, class: 'num', min: k.min, max: k.max, step: k.step || 'any', value: String(value),
    onchange: (e) => { const v = Number(e.target.value); if (Number.isFinite(v)) set(v, true); } });
  return el('label', { class: 'hyper' }, [el('span', { text: k.label }), control]);
}

export function runsPanel(app) {
  const { state, catalog } = app;
  const blocks = state.runs.map((run, i) => {
    const entry = catalog.find((o) => o.name === run.optimizer);
    const current = run.segments.length ? run.segments[run.segments.length - 1].hyper : run.hyper;
    const select = el('select', { id: 'run-' + i + '-optimizer', onchange: (e) => app.setOptimizer(i, e.target.value) },
      catalog.map((o) => el('option', { value: o.name, text: o.name, selected: o.name === run.optimizer })));
    const remove = state.runs.length > 1
      ? el('button', { class: 'small', title: 'remove', text: '×', onclick: () => app.removeRun(i) }) : null;
    const swatch = el('span', { class: 'swatch', style: 'background:' + COLORS[i % COLORS.length] });
    const gdLineSearch = run.optimizer === 'gd' && current.line_search;
    const keys = entry.keys.filter((k) => !gdLineSearch || k.key === 'line_search' || k.key === 'lr');
    return el('div', { class: 'run-block', id: 'run-' + i }, [
      el('div', { class: 'run-head' }, [swatch, select, remove]),
      ...keys.map((k) => hyperControl(app, i, entry, current, k)),
    ]);
  });
  const add = state.runs.length < 8
    ? el('button', { id: 'add-run', text: '+ optimizer', onclick: () => app.addRun() }) : null;
  const mode = el('div', { class: 'mode' }, [
    el('span', { text: 'On a change: ' }),
    el('label', {}, [el('input', { type: 'radio', name: 'on-change', id: 'mode-rerun', checked: state.onChange === 'rerun',
      onchange: () => app.change((s) => { s.onChange = 'rerun'; }, { rerun: false }) }), ' rerun from the start']),
    el('label', {}, [el('input', { type: 'radio', name: 'on-change', id: 'mode-continue', checked: state.onChange === 'continue',
      onchange: () => app.change((s) => { s.onChange = 'continue'; }, { rerun: false }) }), ' continue from the slider\'s iterate']),
  ]);
  return el('section', { class: 'panel' }, [el('h3', { text: 'Optimizers' }), ...blocks, add, mode]);
}

export function stoppingPanel(app) {
  const s = app.state.stopping;
  const field = (key, label, integer) => el('label', { class: 'hyper' }, [el('span', { text: label }),
    el('input', { type: 'number', class: 'num', id: 'stop-' + key, step: 'any', min: 0, value: short(s[key], 12), onchange: (e) => {
      let v = Number(e.target.value);
      if (!Number.isFinite(v) || v < 0) return;
      if (integer) v = Math.max(1, Math.min(1e6, Math.round(v)));
      app.change((st) => { st.stopping[key] = v; }, { rerun: true, resetSegments: true });
    } })]);
  return el('section', { class: 'panel' }, [el('h3', { text: 'Stopping rules' }),
    field('max_iterations', 'iterations (at most)', true),
    field('gradient_tolerance', 'max |∂f/∂xᵢ| <', false),
    field('value_tolerance', '|Δf| ≤ tol·max(1,|f|)', false),
    field('step_tolerance', 'max |Δxᵢ| ≤', false),
    field('divergence_bound', 'diverged when f >', false)]);
}

export function presetPanel(app) {
  const select = el('select', { id: 'preset-select', onchange: () => { if (select.value) app.loadPreset(select.value); } },
    [el('option', { value: '', text: 'load an experiment of kobai tour…' }),
      ...PRESETS.map((p) => el('option', { value: p.id, text: p.id })),
      // the tour's other experiments, named and disabled, so none is silently missing
      el('optgroup', { label: 'not in the playground' },
        NOT_PRESETS.map((p) => el('option', { value: p.id, text: p.id + ': ' + p.why, disabled: true })))]);
  return el('section', { class: 'panel' }, [el('h3', { text: 'Presets' }), select, el('p', { id: 'preset-caption', class: 'caption' })]);
}
