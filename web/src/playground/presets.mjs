// Presets: the experiments of `kobai tour` that the playground can show (apps/kobai/tour_experiments.cpp),
// each as a state, with the seed's printed numbers to compare with. seedDiffers marks the rows where
// the tour explains why kobai's numbers are not the seed's (its note: the seed's output came from
// another run); the caption then says "differs (see kobai tour)". Every experiment of the tour is
// either a preset or listed in NOT_PRESETS with the reason (the preset menu shows those, disabled;
// web/tests/playground.spec.mjs checks the two lists against `kobai tour --json`). The caption is
// written from the current settings when the preset loads (captionOf), never fixed text that could
// drift from them.
export const PRESETS = [
  { id: '000-sphere-lr0.1', seed: [-6.11110793e-10, 8.14814391e-10], tolerance: 1e-7,
    state: { problem: { name: 'sphere' }, start: [-3, 4], runs: [{ optimizer: 'gd', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 100, gradient_tolerance: 0 } } },
  { id: '000-sphere-lr0.001', seed: [-2.45570041, 3.27426722], tolerance: 1e-7,
    state: { problem: { name: 'sphere' }, start: [-3, 4], runs: [{ optimizer: 'gd', hyper: { lr: 0.001 } }],
             stopping: { max_iterations: 100, gradient_tolerance: 0 } } },
  { id: '000-sphere-lr10', seed: null,
    state: { problem: { name: 'sphere' }, start: [-3, 4], runs: [{ optimizer: 'gd', hyper: { lr: 10 } }],
             stopping: { max_iterations: 100, gradient_tolerance: 0 } } },
  ...[0.1, 0.9, 1.0, 1.1].map((lr) => ({ id: '002-quadratic-lr' + lr, seed: null,
    state: { problem: { name: 'quadratic1d' }, start: [-5], runs: [{ optimizer: 'gd', hyper: { lr } }],
             stopping: { max_iterations: 30, gradient_tolerance: 0 } } })),
  ...[1, 3].map((lr) => ({ id: '002-sine-bowl-lr' + lr, seed: null,
    state: { problem: { name: 'sine_bowl' }, start: [-10], runs: [{ optimizer: 'gd', hyper: { lr } }],
             stopping: { max_iterations: 30, gradient_tolerance: 0 } } })),
  { id: '003-cubic', seed: [2.999999999256501], tolerance: 0,
    state: { problem: { name: 'cubic' }, start: [1], runs: [{ optimizer: 'gd', hyper: { lr: 0.01 } }],
             stopping: { max_iterations: 200, gradient_tolerance: 1e-8 } } },
  { id: '003-beale-gd', seed: [2.70735828, 0.41689171], tolerance: 1e-7,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'gd', hyper: { lr: 5e-6 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-8 } } },
  { id: '003-beale-momentum', seed: [2.96324633, 0.49067782], tolerance: 1e-6,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'momentum', hyper: { lr: 5e-6, momentum: 0.8 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-6 } } },
  { id: '003-beale-adagrad-seed', seed: [-0.69240717, 1.76233766], tolerance: 1e-6,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'adagrad', hyper: { lr: 0.1, eps: 1e-8, initial_accumulator: 1 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-8 } } },
  { id: '003-beale-adagrad-torch', seed: null,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'adagrad', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-8 } } },
  { id: '003-beale-adadelta-seed', seed: [2.9386002, 0.45044889], tolerance: 1e-6,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'adadelta', hyper: { lr: 1, eps: 1e-8, rho: 0.9, initial_accumulator: 1 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-8 } } },
  { id: '003-beale-adadelta-torch', seed: null,
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'adadelta', hyper: { lr: 1, rho: 0.9 } }],
             stopping: { max_iterations: 300000, gradient_tolerance: 1e-8 } } },
  ...[[300000, [2.70162562, 0.41500366]], [900000, [2.9082809, 0.47616156]]].map(([n, seed]) => ({
    id: '003-beale-rmsprop-' + n / 1000 + 'k', seed, tolerance: 1e-6, seedDiffers: true,
    state: { problem: { name: 'beale' }, start: [3, 4],
             runs: [{ optimizer: 'rmsprop', hyper: { lr: 5e-6, eps: 1e-8, alpha: 0.999999999999, initial_accumulator: 1 } }],
             stopping: { max_iterations: n, gradient_tolerance: 1e-8 } } })),
  { id: '003-beale-adam', seed: [2.99999653, 0.50000329], tolerance: 1e-6, seedDiffers: true,  // chaotic near the minimum
    state: { problem: { name: 'beale' }, start: [3, 4], runs: [{ optimizer: 'adam', hyper: { lr: 0.001, beta1: 0.9, beta2: 0.8, eps: 1e-8 } }],
             stopping: { max_iterations: 100000, gradient_tolerance: 1e-8 } } },
  { id: '003-elliptic-gd-100', seed: [-8.26638332e-06, 2.46046384e-98], tolerance: 1e-7, seedDiffers: true,
    state: { problem: { name: 'elliptic' }, start: [-2.4, 0.2], runs: [{ optimizer: 'gd', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 100, gradient_tolerance: 1e-8 } } },
  { id: '003-elliptic-gd-1000', seed: [-8.26638332e-06, 2.46046384e-98], tolerance: 1e-7,
    state: { problem: { name: 'elliptic' }, start: [-2.4, 0.2], runs: [{ optimizer: 'gd', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 1000, gradient_tolerance: 1e-8 } } },
  { id: '003-elliptic-momentum', seed: [-1.49829905e-08, -4.74284398e-10], tolerance: 1e-6,
    state: { problem: { name: 'elliptic' }, start: [-2.4, 0.2], runs: [{ optimizer: 'momentum', hyper: { lr: 0.1, momentum: 0.8 } }],
             stopping: { max_iterations: 1000, gradient_tolerance: 1e-8 } } },
  // The seed's data (x = 1..5) as the mean loss ½(y − wx)², typed as the tour types it; w is x here.
  // The seed's w after 5 steps of its own rule differs (the tour's note: its rule lacks the factor x_i).
  { id: '004-linreg-gd', seed: [3.17241493], tolerance: 2e-3, seedDiffers: true,
    state: { problem: { expr: '((3.2 - 1*x)^2 + (6 - 2*x)^2 + (9.1 - 3*x)^2 + (12.2 - 4*x)^2 + (15.2 - 5*x)^2)/10' },
             start: [-0.977277879876411], runs: [{ optimizer: 'gd', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 5, gradient_tolerance: 0 } } },
  { id: '004-newton-x2', seed: null,
    state: { problem: { expr: 'x^2' }, start: [0.7], runs: [{ optimizer: 'newton', hyper: {} }],
             stopping: { max_iterations: 5, gradient_tolerance: 1e-8 } } },
  { id: 'beale-five-optimizers', seed: null,
    state: { problem: { name: 'beale' }, start: [1, 1.5],
             runs: [{ optimizer: 'gd', hyper: { lr: 0.005 } }, { optimizer: 'momentum', hyper: { lr: 0.005 } },
                    { optimizer: 'adagrad', hyper: { lr: 0.5 } }, { optimizer: 'rmsprop', hyper: { lr: 0.05 } },
                    { optimizer: 'adam', hyper: { lr: 0.1 } }],
             stopping: { max_iterations: 300, gradient_tolerance: 1e-8 } } },
];

// The tour's experiments that the playground cannot run, and why: they replay the seed's own code
// (its numerical gradient, its Adam, its regression update), evaluate a model rather than
// minimize a function of one or two variables, or go where the plots cannot follow.
export const NOT_PRESETS = [
  // Its iterates reach 3e128 and f 1e257: the engine could run it (divergence bound 1e300), but
  // Plotly cannot draw such numbers (its SVG paths break, with console errors).
  { id: '000-sphere-lr10-unbounded', why: 'iterates of 1e128, too large to draw (kobai tour runs it)' },
  { id: '000-sphere-lr10-seed-gradient', why: "the seed's own central-difference gradient" },
  { id: '000-simplenet-predict', why: 'a model evaluated (simpleNet, 6 weights), not a run' },
  { id: '000-simplenet-loss', why: 'a model evaluated (simpleNet, 6 weights), not a run' },
  { id: '000-simplenet-gradient', why: 'a model evaluated (simpleNet, 6 weights), not a run' },
  { id: '003-beale-adam-seed-rule', why: "the seed's own Adam rule (its bias correction)" },
  { id: '004-linreg-seed-update', why: "the seed's own regression update" },
];

// |kobai − seed| ≤ tolerance · max(|seed|, 1e-300) per component: the tour's "reproduced" rule.
export function reproduces(preset, x) {
  if (!preset.seed) return null;
  return preset.seed.every((s, i) => Math.abs(x[i] - s) <= preset.tolerance * Math.max(Math.abs(s), 1e-300));
}
