// How each run of a section ended (the table), what was thinned for drawing (the notes), and the
// commands that reproduce the runs.
import { el } from '../playground/dom.mjs';
import { short, point } from '../shared/format.mjs';

const number = (v) => (v === null || v === undefined ? '—' : short(v, 10));

export function endTable(section) {
  // Nine columns, so the table fits the page: the optimizer goes under the run's label when the
  // two differ, and the evaluation counts under the iterations.
  const head = ['run', 'hyperparameters', 'status', 'verdict', 'iterations', 'final x', 'f(x)',
    'max |∂f/∂xᵢ|', 'message'];
  const table = el('table', { class: 'end' }, [el('tr', {}, head.map((h) => el('th', { text: h })))]);
  const small = (text) => el('div', { class: 'small', text });
  section.runs.forEach((run) => {
    const cells = [
      el('td', { class: 'label' }, [run.label].concat(run.optimizer !== run.label ? [small(run.optimizer)] : [])),
      el('td', { class: 'text', text: run.hyperparameters.map(([k, v]) => k + ' ' + v).join(', ') }),
      el('td', { class: 'status', text: run.status + (run.diverged_at !== null ? ' at iteration ' + run.diverged_at : '') }),
      el('td', { class: 'text' }, [el('span', { class: 'verdict ' + run.verdict, text: run.verdict }), small(run.verdict_reason)]),
      el('td', { class: 'number' }, [String(run.iterations),
        small(run.function_evaluations + ' f, ' + run.gradient_evaluations + ' ∇f')]),
      el('td', { class: 'number point', text: point(run.x.map((v) => (v === null ? NaN : v)), 10) }),
      el('td', { class: 'number', text: number(run.value) }),
      el('td', { class: 'number', text: number(run.gradient_max_abs) }),
      el('td', { class: 'text', text: run.message })];
    table.appendChild(el('tr', {}, cells));
  });
  return table;
}

export function thinningNotes(section) {
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

export function commands(section) {
  const out = [];
  section.runs.forEach((run) => {
    out.push(el('p', { class: 'problem', text: 'Reproduce ' + run.label + ':' }));
    out.push(el('pre', { class: 'command', text: run.command || '(no command given)' }));
  });
  return out;
}
