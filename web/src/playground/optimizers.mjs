// The optimizers the page offers and the controls of their hyperparameters.
//
// Names and keys are `kobai run`'s (--optimizer NAME, --lr, --weight-decay → weight_decay, ...);
// defaults come from the engine itself (AnyFirstOrder::hyperparameters(), the line-search methods'
// own), so the page cannot drift from the library. Only values that differ from the default are
// sent to the engine and written into "copy as command".

// What the controls look like: kind 'log' (a log-scale slider plus a number box), 'number',
// 'bool', 'choice'; bounds are the controls' (the engine validates again).
const CONTROL = {
  lr: { kind: 'log', min: 1e-6, max: 10, label: 'learning rate η' },
  momentum: { kind: 'number', min: 0, max: 0.999, step: 0.05, label: 'momentum' },
  dampening: { kind: 'number', min: 0, max: 1, step: 0.05, label: 'dampening' },
  nesterov: { kind: 'bool', label: 'Nesterov' },
  weight_decay: { kind: 'number', min: 0, max: 1, step: 0.001, label: 'weight decay' },
  beta1: { kind: 'number', min: 0, max: 0.999, step: 0.01, label: 'β1' },
  beta2: { kind: 'number', min: 0, max: 0.9999, step: 0.001, label: 'β2' },
  eps: { kind: 'log', min: 1e-12, max: 1, label: 'ε' },
  rho: { kind: 'number', min: 0, max: 0.999, step: 0.01, label: 'ρ' },
  alpha: { kind: 'number', min: 0, max: 0.9999, step: 0.01, label: 'α (smoothing)' },
  centered: { kind: 'bool', label: 'centered' },
  amsgrad: { kind: 'bool', label: 'AMSGrad' },
  initial_accumulator: { kind: 'number', min: 0, max: 10, step: 0.1, label: 'initial accumulator' },
  lr_decay: { kind: 'number', min: 0, max: 1, step: 0.001, label: 'lr decay' },
  momentum_decay: { kind: 'number', min: 0, max: 1, step: 0.001, label: 'momentum decay' },
  line_search: { kind: 'choice', choices: ['armijo', 'wolfe'], label: 'line search' },
  gd_line_search: { kind: 'choice', choices: ['', 'armijo', 'wolfe'], label: 'line search' },
  memory: { kind: 'number', min: 1, max: 100, step: 1, label: 'memory (pairs)' },
  hessian: { kind: 'choice', choices: ['problem', 'numerical'], label: 'Hessian' },
};

// The engine's PyTorch names for the settings that `kobai run` calls otherwise.
const ENGINE_NAME = { initial_accumulator_value: 'initial_accumulator', initial_square_avg: 'initial_accumulator' };

export const LINE_SEARCH_METHODS = ['newton', 'bfgs', 'lbfgs', 'cg'];

// From the engine's optimizer list: [{name, kind, keys: [{key, default, ...control}]}].
export function optimizerCatalog(engineList) {
  return engineList.map((o) => {
    const keys = [];
    if (o.kind === 'first_order') {
      for (const [name, value] of o.hyperparameters) {
        const key = ENGINE_NAME[name] || name;
        const control = CONTROL[key];
        if (!control) continue;
        keys.push({ key, ...control, default: control.kind === 'bool' ? value !== 0 : value });
      }
      if (o.name === 'gd') keys.push({ key: 'line_search', ...CONTROL.gd_line_search, default: '' });
    } else {
      keys.push({ key: 'line_search', ...CONTROL.line_search, default: o.line_search });
      for (const [name, value] of o.hyperparameters)
        if (name === 'memory') keys.push({ key: 'memory', ...CONTROL.memory, default: value });
      if (o.name === 'newton') keys.push({ key: 'hessian', ...CONTROL.hessian, default: 'problem' });
    }
    return { name: o.name, kind: o.kind, keys };
  });
}

// The settings that differ from the defaults (what the engine and the command need).
export function effectiveHyper(entry, hyper) {
  const out = {};
  for (const k of entry.keys) {
    if (!(k.key in hyper)) continue;
    const v = hyper[k.key];
    if (v === k.default || v === undefined || v === null) continue;
    out[k.key] = v;
  }
  // gd without a line search: line-search-only settings would be rejected.
  return out;
}

// The value a control shows: the setting if given, else the default.
export function valueOf(entry, hyper, key) {
  const k = entry.keys.find((c) => c.key === key);
  return key in hyper ? hyper[key] : k ? k.default : undefined;
}
