// The state panel's part for line-search methods (Newton, BFGS, L-BFGS, CG, gd with a line
// search): the trial steps of the search at the selected iteration, each with the Armijo and
// curvature tests it passed or failed (the engine's LineSearchTrace, recorded by the library's
// line-search observer), and for Newton its local quadratic model
//   m(d) = f(x) + ∇f(x)ᵀd + ½ dᵀ H d,
// drawn on the contour as ellipses around the model's minimizer x + d_Newton (the point the unit
// step goes to). Where H is not positive definite Newton uses H with its eigenvalues replaced by
// their absolute values (kobai's eigenvalue modification): so is the model drawn.
import { short, point, escapeHtml } from '../shared/format.mjs';

const MIN_CURVATURE = 1e-8;  // NewtonOptions::min_curvature (the relative floor on |λ|)

const mark = (ok) => (ok ? '<span class="pass">✓</span>' : '<span class="fail">✗</span>');

// The trace as an HTML table: one row per trial φ(α) = f(x + α d).
export function lineSearchHtml(trace, label) {
  if (!trace) return '';
  const wolfe = trace.kind === 'wolfe';
  const bound = (a) => trace.value0 + trace.c1 * a * trace.slope0;
  const rows = trace.trials.map((t, j) => {
    const accepted = trace.ok && j === trace.trials.length - 1;
    return '<tr' + (accepted ? ' class="accepted"' : '') + '><td>' + (j + 1) + '</td><td>' + short(t.step, 6) + '</td><td>' +
      short(t.value, 8) + '</td><td>' + short(bound(t.step), 8) + '</td><td>' + mark(t.sufficient_decrease) + '</td><td>' +
      short(t.slope, 4) + '</td><td>' + (wolfe ? mark(t.curvature) : '—') + '</td><td>' + (accepted ? 'accepted' : '') + '</td></tr>';
  });
  const rule = wolfe
    ? 'strong Wolfe: Armijo f(x + αd) ≤ f(x) + c1·α·φ\'(0) with c1 = ' + short(trace.c1) + ', and curvature |φ\'(α)| ≤ c2·|φ\'(0)| = ' +
      short(trace.c2 * Math.abs(trace.slope0), 4) + ' with c2 = ' + short(trace.c2)
    : 'Armijo backtracking: f(x + αd) ≤ f(x) + c1·α·φ\'(0) with c1 = ' + short(trace.c1) + ' (no curvature test)';
  const outcome = trace.ok ? 'accepted α = ' + short(trace.step, 8) + ' after ' + trace.trials.length + ' trial' +
      (trace.trials.length === 1 ? '' : 's') : 'failed: ' + escapeHtml(trace.message);
  return '<div class="line-search"><div>' + escapeHtml(label) + ': line search from iteration ' + trace.from + ' along d = ' +
    point(trace.direction) + ' (φ(0) = ' + short(trace.value0, 8) + ', φ\'(0) = ∇fᵀd = ' + short(trace.slope0, 4) + '), first trial α₀ = ' +
    short(trace.initial_step) + '; ' + rule + '. ' + outcome + '. Trial points are marked on the plot (filled: accepted).</div>' +
    '<table class="trials" id="line-search-trials"><thead><tr><th>#</th><th>α</th><th>f(x + αd)</th><th>Armijo bound</th><th>Armijo</th>' +
    '<th>φ\'(α)</th><th>curvature</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table></div>';
}

// The trial points on the main plot: (x + α d) in 2-D, (x + α d, f) on the 1-D curve.
export function trialPoints(trace, dim) {
  const xs = [], ys = [], text = [], accepted = [];
  trace.trials.forEach((t, j) => {
    const p = trace.x.map((v, i) => v + t.step * trace.direction[i]);
    xs.push(p[0]);
    ys.push(dim === 2 ? p[1] : t.value);
    text.push('trial ' + (j + 1) + ': α = ' + short(t.step) + (t.sufficient_decrease ? ', Armijo ✓' : ', Armijo ✗') +
      (trace.kind === 'wolfe' ? (t.curvature ? ', curvature ✓' : ', curvature ✗') : ''));
    accepted.push(trace.ok && j === trace.trials.length - 1);
  });
  return { x: xs, y: ys, text, accepted };
}

// Eigen-decomposition of a symmetric 2 × 2 matrix [[a, b], [b, c]]: values ascending, unit vectors.
function eigen2(a, b, c) {
  const mean = (a + c) / 2, radius = Math.hypot((a - c) / 2, b);
  const values = [mean - radius, mean + radius];
  const vectors = values.map((l) => {
    // (H − λI)v = 0: v = (b, λ − a) or (λ − c, b), whichever is longer
    const v1 = [b, l - a], v2 = [l - c, b];
    const v = Math.hypot(...v1) >= Math.hypot(...v2) ? v1 : v2;
    const n = Math.hypot(...v);
    return n > 0 ? [v[0] / n, v[1] / n] : (l === values[0] ? [1, 0] : [0, 1]);
  });
  if (radius === 0) return { values, vectors: [[1, 0], [0, 1]] };
  return { values, vectors };
}

// Newton's model at the traced iterate: its text and, in 2-D, its level sets as one line trace
// (ellipses through x_k and at ½, ¼ and ⅛ of the distance to the model's minimizer).
export function newtonModel(trace, dim) {
  if (!trace || !trace.hessian) return null;
  const d = trace.direction;
  if (dim === 1) {
    const h = trace.hessian[0];
    const used = trace.hessian_modified ? Math.max(Math.abs(h), MIN_CURVATURE * Math.max(1, Math.abs(h))) : h;
    return { lines: ['Newton\'s model m(d) = f + f\'·d + ½·h·d², h = ' + short(h) + (trace.hessian_modified ? ' (negative: |h| = ' + short(used) + ' used)' : '') +
      '; its minimizer x + d = ' + short(trace.x[0] + d[0], 8) + ', predicted decrease ' + short(-0.5 * trace.slope0)], curve: null };
  }
  const [a, b, c] = [trace.hessian[0], trace.hessian[1], trace.hessian[3]];
  const e = eigen2(a, b, c);
  const floor = MIN_CURVATURE * Math.max(1, Math.abs(e.values[0]), Math.abs(e.values[1]));
  const mu = trace.hessian_modified ? e.values.map((l) => Math.max(Math.abs(l), floor)) : e.values;
  const center = [trace.x[0] + d[0], trace.x[1] + d[1]];
  // ½ dᵀHd in the eigenbasis: the model's drop from x_k to its minimizer
  const along = e.vectors.map((v) => v[0] * d[0] + v[1] * d[1]);
  const drop = 0.5 * (mu[0] * along[0] ** 2 + mu[1] * along[1] ** 2);
  const lines = ['Newton\'s model m(d) = f + ∇fᵀd + ½dᵀHd at ' + point(trace.x, 6) + ': H eigenvalues ' + point(e.values) +
    (trace.hessian_modified ? ' — not positive definite, so Newton used |λ| = ' + point(mu) + ' (eigenvalue modification)' : ' (positive definite)') +
    '; the model\'s minimizer x + d = ' + point(center, 8) + ' (dashed ellipses: its level sets), predicted decrease ' + short(drop, 6) +
    ', actual at the accepted step ' + short(trace.value0 - (trace.trials.length ? trace.trials[trace.trials.length - 1].value : trace.value0), 6)];
  const x = [], y = [];
  if (mu[0] > 0 && mu[1] > 0 && drop > 0 && Number.isFinite(drop)) {
    for (const scale of [1, 0.5, 0.25, 0.125]) {
      const level = drop * scale * scale;
      const r = mu.map((m) => Math.sqrt((2 * level) / m));
      for (let k = 0; k <= 72; ++k) {
        const t = (2 * Math.PI * k) / 72;
        const u = [r[0] * Math.cos(t), r[1] * Math.sin(t)];
        x.push(center[0] + u[0] * e.vectors[0][0] + u[1] * e.vectors[1][0]);
        y.push(center[1] + u[0] * e.vectors[0][1] + u[1] * e.vectors[1][1]);
      }
      x.push(null); y.push(null);
    }
    x.push(center[0]); y.push(center[1]);  // the minimizer itself (a dot on the line trace)
  }
  return { lines, curve: { x, y } };
}
