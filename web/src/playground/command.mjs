// "Copy as command": the `kobai run` (one optimizer) or `kobai compare` (several) line that
// reproduces the page's runs. Numbers are written as JavaScript's shortest round-trip text, which
// `kobai` reads back to the same double, so the command computes the same bits.
import { effectiveHyper } from './optimizers.mjs';
import { exact, shellWord } from '../shared/format.mjs';
import { DEFAULT_STOPPING } from './state.mjs';

const FLAG = (key) => '--' + key.replace(/_/g, '-');

function problemOptions(state) {
  return state.problem.expr !== undefined ? '--expr ' + shellWord(state.problem.expr) : '--function ' + shellWord(state.problem.name);
}

function stoppingOptions(state) {
  const s = state.stopping, out = [];
  out.push('--iterations ' + s.max_iterations);
  if (s.gradient_tolerance !== DEFAULT_STOPPING.gradient_tolerance) out.push('--tolerance ' + exact(s.gradient_tolerance));
  if (s.value_tolerance) out.push('--value-tolerance ' + exact(s.value_tolerance));
  if (s.step_tolerance) out.push('--step-tolerance ' + exact(s.step_tolerance));
  if (s.divergence_bound !== DEFAULT_STOPPING.divergence_bound) out.push('--divergence-bound ' + exact(s.divergence_bound));
  return out.join(' ');
}

export function runCommand(state, catalog, i, start) {
  const run = state.runs[i];
  const entry = catalog.find((o) => o.name === run.optimizer);
  const hyper = effectiveHyper(entry, run.hyper);
  const parts = ['kobai run', problemOptions(state), '--optimizer ' + run.optimizer];
  for (const [k, v] of Object.entries(hyper)) {
    if (typeof v === 'boolean') { if (v) parts.push(FLAG(k)); } else parts.push(FLAG(k) + ' ' + (typeof v === 'number' ? exact(v) : shellWord(v)));
  }
  parts.push('--start ' + start.map(exact).join(','), stoppingOptions(state));
  return parts.join(' ');
}

// One line for the whole page: run for one optimizer, compare for several (hyperparameters as
// NAME=VALUE pairs). A run changed mid-way ("continue") has no command-line form: said in a comment.
export function pageCommand(state, catalog, start) {
  const changed = state.runs.filter((r) => r.segments.length > 0).map((r) => r.optimizer);
  const note = changed.length ? '  # without the mid-run changes of ' + changed.join(', ') + ' (no command-line form)' : '';
  const names = state.runs.map((r) => r.optimizer);
  if (state.runs.length === 1 || new Set(names).size !== names.length)
    return state.runs.map((_, i) => runCommand(state, catalog, i, start)).join('\n') + note;
  const byKey = new Map();
  state.runs.forEach((run) => {
    const entry = catalog.find((o) => o.name === run.optimizer);
    for (const [k, v] of Object.entries(effectiveHyper(entry, run.hyper))) {
      if (!byKey.has(k)) byKey.set(k, []);
      byKey.get(k).push([run.optimizer, v]);
    }
  });
  const parts = ['kobai compare', problemOptions(state), '--optimizers ' + names.join(',')];
  for (const [k, list] of byKey) {
    if (typeof list[0][1] === 'boolean') {
      const on = list.filter(([, v]) => v).map(([n]) => n);
      if (on.length) parts.push(FLAG(k) + ' ' + on.join(','));
    } else {
      parts.push(FLAG(k) + ' ' + list.map(([n, v]) => n + '=' + (typeof v === 'number' ? exact(v) : v)).join(','));
    }
  }
  parts.push('--start ' + start.map(exact).join(','), stoppingOptions(state));
  return parts.join(' ') + note;
}

// The `kobai basin` line that computes the page's basin map (the same starts, runs and rule).
// `request` is the map's request (its optimizer, hyperparameters and stopping rules).
export function basinCommand(state, request, n) {
  const parts = ['kobai basin', problemOptions(state), '--optimizer ' + request.optimizer];
  for (const [k, v] of Object.entries(request.hyper)) {
    if (typeof v === 'boolean') { if (v) parts.push(FLAG(k)); } else parts.push(FLAG(k) + ' ' + (typeof v === 'number' ? exact(v) : shellWord(v)));
  }
  parts.push('--resolution ' + n, stoppingOptions({ stopping: request.stopping }));
  return parts.join(' ');
}
