// One section of a report: its heading, its settings (live.mjs), and a body that is drawn from the
// section's runs — the slider (play / pause / step), the plots, the table, the commands — and drawn
// again from new runs when the settings are changed and the runs recomputed.
// The slider's positions are iteration numbers (the union of the drawn iterations of the section's
// runs, at most max_drawn_points of them); each run shows its last drawn iterate at or before the
// slider's iteration, so runs with different strides stay in step.
// window.kobai.sections[i] is {steps, setStep(t), step(), plots, …} (for tests and the curious).
import { el } from '../playground/dom.mjs';
import { point } from '../shared/format.mjs';
import { rowAt, timeline } from '../shared/history.mjs';
import { map1d, map2d, surface, convergence } from './plots.mjs';
import { endTable, thinningNotes, commands } from './table.mjs';
import { allPlots, adopt, forget, realize } from './drawing.mjs';

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

// Coordinates far outside the drawing (a diverging run reaches 1e150) are left out of the
// drawing: SVG cannot hold them. The table and the convergence plot still show them.
function clamp(values, lo, hi) {
  const w = (hi - lo) || 1, a = lo - 1000 * w, b = hi + 1000 * w;
  return values.map((v) => (finite(v) && v >= a && v <= b ? v : null));
}
function span(a) {
  const f = a.flat(Infinity).filter(finite);
  return f.length ? [Math.min(...f), Math.max(...f)] : [0, 1];
}

// What each run draws: its path clamped to the drawing.
function prepareRuns(section) {
  section.runs.forEach((run, r) => {
    run.index = r;
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
}

export function problemLine(section) {
  const p = section.problem;
  return 'f = ' + p.formula + '  (' + p.name + ', ' + p.dimension + '-D' +
    (p.global_minimizers.length ? '; global minimum ' + p.global_minimizers.map((m) => point(m, 10)).join(', ') : '') + ')';
}

// Builds section `s` under `root`; returns its window.kobai.sections entry, which also has
// redraw(runs) for the settings (a Promise, resolved once the visible plots are drawn again).
export function renderSection(root, data, section, s, livePanel) {
  const box = el('section', { id: 'section-' + s, class: 'section ' + section.layout });
  root.appendChild(box);
  if (section.title !== data.title || data.sections.length > 1) box.appendChild(el('h2', { text: section.title }));
  if (section.text) box.appendChild(el('p', { class: 'text', text: section.text }));
  box.appendChild(el('p', { class: 'problem', text: problemLine(section) }));
  const entry = { steps: [0], setStep: () => Promise.resolve(), step: () => 0, plots: {}, section };
  const live = livePanel ? livePanel(section, s, entry) : null;
  if (live) {
    box.appendChild(live);
    if (entry.attach) entry.attach(box);
  }
  let body = null, bodyPlots = [];

  function build(first) {
    prepareRuns(section);
    const next = el('div', { class: 'section-body' });
    thinningNotes(section).forEach((n) => next.appendChild(el('p', { class: 'note', text: n })));
    const steps = timeline(section.runs.map((run) => run.path.iteration), section.max_drawn_points);
    const hasPath = section.runs.some((run) => run.path.iteration.length > 0);
    const back = el('button', { type: 'button', title: 'step back', class: 'back', text: '◀' });
    const play = el('button', { type: 'button', title: 'play / pause', class: 'play', text: '▶' });
    const forward = el('button', { type: 'button', title: 'step', class: 'step', text: '▶|' });
    const slider = el('input', { type: 'range', min: '0', max: String(steps.length - 1), value: '0', step: '1',
      id: 'section-' + s + '-slider', class: 'slider' });
    const position = el('span', { class: 'position' });
    const controls = el('div', { class: 'controls' }, [back, play, forward, slider, position]);

    const plots = el('div', { class: 'plots' });
    const ids = { maps: [], surface: null, convergence: null };
    const sectionPlots = [];
    const addPlot = (name, cls, draw, parent) => {
      const div = el('div', { id: 'section-' + s + '-' + name, class: 'plot ' + (cls || '') });
      (parent || plots).appendChild(div);
      sectionPlots.push({ name: s + ':' + name, div, draw, update: null, drawn: null, section: null });
      return div;
    };
    if (hasPath && (section.dimension === 1 || section.dimension === 2)) next.appendChild(controls);
    next.appendChild(plots);
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
    next.appendChild(endTable(section));
    commands(section).forEach((n) => next.appendChild(n));
    if (section.dimension === 2 && section.surface && section.layout !== 'sweep') {
      const more = el('div', { class: 'plots' });
      next.appendChild(more);
      ids.surface = addPlot('surface', 'surface', (d, rows) => surface(d, section, section.runs, rows), more).id;
    }

    let current = 0, timer = null;
    const rowsAt = (it) => section.runs.map((run) => rowAt(run.path.iteration, it));
    function setStep(t) {
      current = Math.max(0, Math.min(steps.length - 1, t | 0));
      slider.value = String(current);
      const it = steps[current];
      position.textContent = 'iteration ' + it + '  (' + (current + 1) + ' of ' + steps.length + ')';
      const rows = rowsAt(it);
      return Promise.all(sectionPlots.filter((p) => p.update).map((p) => p.update(rows, it)));
    }
    const state = { rows: () => rowsAt(steps[current]), it: () => steps[current] };
    sectionPlots.forEach((p) => { p.section = state; });
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

    const old = bodyPlots;
    if (entry.pause) entry.pause();  // the old slider's animation
    if (body) body.replaceWith(next); else box.appendChild(next);
    body = next;
    bodyPlots = sectionPlots;
    Object.assign(entry, { steps, setStep, step: () => current, plots: ids, pause });
    if (first) { allPlots.push(...sectionPlots); return Promise.resolve(); }
    // a rerun: the old plots go, the new ones are drawn now (the flat ones) or when seen
    return forget(old).then(() => {
      adopt(sectionPlots);
      return Promise.all(sectionPlots.filter((p) => !p.name.endsWith(':surface')).map(realize));
    });
  }
  build(true);
  entry.redraw = (runs) => { section.runs = runs; return build(false); };
  return entry;
}
