// The page's whole state: one plain object, kept in the URL's fragment so that reloading or sending
// the link restores the view (TensorFlow Playground's idea, with a version field and the same
// limits as the controls: a hand-edited URL cannot bypass them).
//
//   #s=<encodeURIComponent(JSON)>    s.v is the schema version (1)

export const VERSION = 1;

export const DEFAULT_STOPPING = {
  max_iterations: 300, gradient_tolerance: 1e-8, value_tolerance: 0, step_tolerance: 0, divergence_bound: 1e20,
};

export function defaultState() {
  return {
    v: VERSION,
    problem: { name: 'beale' },
    start: [1, 1.5],
    runs: [
      { optimizer: 'gd', hyper: { lr: 0.005 }, segments: [] },
      { optimizer: 'adam', hyper: { lr: 0.1 }, segments: [] },
    ],
    stopping: { ...DEFAULT_STOPPING },
    onChange: 'rerun',        // 'rerun' from the start, or 'continue' from the slider's iterate
    iteration: null,          // the slider (null: the end of the longest run)
    selected: 0,              // the run whose state the state panel shows
    arrows: false,            // −∇f arrows on the contour
    surface: false,           // the 3-D surface
    map: { resolution: 64, maxIterations: 1000, lrMeasure: 'value' },  // lrMeasure: the learning-rate map's y: 'value' or 'iterations'
  };
}

const clamp = (v, lo, hi, fallback) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback);

// A state read from outside (URL, the command's initial state, a preset): every field checked,
// anything unreadable replaced by its default; returns a new object.
export function sanitize(input, knownOptimizers) {
  const d = defaultState();
  if (!input || typeof input !== 'object') return d;
  const s = { ...d };
  if (input.problem && typeof input.problem === 'object') {
    if (typeof input.problem.expr === 'string' && input.problem.expr.length <= 2000) s.problem = { expr: input.problem.expr };
    else if (typeof input.problem.name === 'string') s.problem = { name: input.problem.name };
  }
  if (Array.isArray(input.start) && input.start.length >= 1 && input.start.length <= 2 &&
      input.start.every((v) => typeof v === 'number' && Number.isFinite(v))) s.start = input.start.slice();
  else if (input.problem) s.start = null;  // the problem's own start
  if (Array.isArray(input.runs) && input.runs.length > 0) {
    s.runs = input.runs.slice(0, 8).filter((r) => r && knownOptimizers.includes(r.optimizer)).map((r) => ({
      optimizer: r.optimizer,
      hyper: cleanHyper(r.hyper),
      segments: Array.isArray(r.segments) ? r.segments.filter((g) => g && Number.isInteger(g.at) && g.at > 0)
        .map((g) => ({ at: g.at, hyper: cleanHyper(g.hyper) })) : [],
    }));
    if (s.runs.length === 0) s.runs = d.runs;
  }
  if (input.stopping && typeof input.stopping === 'object') {
    const t = input.stopping;
    s.stopping = {
      max_iterations: Math.round(clamp(t.max_iterations, 1, 1e6, d.stopping.max_iterations)),
      gradient_tolerance: clamp(t.gradient_tolerance, 0, 1e6, d.stopping.gradient_tolerance),
      value_tolerance: clamp(t.value_tolerance, 0, 1, d.stopping.value_tolerance),
      step_tolerance: clamp(t.step_tolerance, 0, 1e6, d.stopping.step_tolerance),
      divergence_bound: clamp(t.divergence_bound, 1, 1e300, d.stopping.divergence_bound),
    };
  }
  s.onChange = input.onChange === 'continue' ? 'continue' : 'rerun';
  s.iteration = Number.isInteger(input.iteration) && input.iteration >= 0 ? input.iteration : null;
  s.selected = Number.isInteger(input.selected) ? Math.max(0, Math.min(s.runs.length - 1, input.selected)) : 0;
  s.arrows = input.arrows === true;
  s.surface = input.surface === true;
  if (input.map && typeof input.map === 'object')
    s.map = { resolution: Math.round(clamp(input.map.resolution, 8, 256, 64)),
              maxIterations: Math.round(clamp(input.map.maxIterations, 1, 100000, 1000)),
              lrMeasure: input.map.lrMeasure === 'iterations' ? 'iterations' : 'value' };
  return s;
}

function cleanHyper(h) {
  const out = {};
  if (!h || typeof h !== 'object') return out;
  for (const [k, v] of Object.entries(h)) {
    if (!/^[a-z_0-9]+$/.test(k)) continue;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || (typeof v === 'string' && v.length < 20)) out[k] = v;
  }
  return out;
}

export function toHash(state) {
  return '#s=' + encodeURIComponent(JSON.stringify(state));
}

export function fromHash(hash) {
  const m = /^#s=(.*)$/.exec(hash || '');
  if (!m) return null;
  try {
    return JSON.parse(decodeURIComponent(m[1]));
  } catch {
    return null;
  }
}
