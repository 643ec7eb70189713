// Share and keep: downloads of the current figure (PNG, SVG), the run as an animation (GIF), and the
// runs' numbers (CSV, JSON). Everything is made in the page; nothing leaves the machine.
import { encodeGif } from './gif.mjs';
import { exact } from '../shared/format.mjs';

export function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function dataUrlToBytes(url) {
  const comma = url.indexOf(',');
  const meta = url.slice(0, comma);
  const body = url.slice(comma + 1);
  if (meta.endsWith(';base64')) {
    const bin = atob(body);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
    return out;
  }
  return new TextEncoder().encode(decodeURIComponent(body));
}

export async function exportImage(plot, format, name) {
  const url = await Plotly.toImage(plot, { format, width: 900, height: 700 });
  download(name, new Blob([dataUrlToBytes(url)], { type: format === 'svg' ? 'image/svg+xml' : 'image/png' }));
}

// Every recorded row of every run: run, optimizer, iteration, x…, f, ‖∇f‖, max|∂f|, lr.
export function runsCsv(runs) {
  const dim = runs.find((r) => r.result && !r.result.error)?.result.history.dimension || 1;
  const names = dim === 1 ? ['x'] : dim === 2 ? ['x', 'y'] : Array.from({ length: dim }, (_, i) => 'x' + i);
  const lines = [['run', 'optimizer', 'iteration', ...names, 'f', 'gradient_norm', 'gradient_max_abs', 'lr'].join(',')];
  runs.forEach((r, i) => {
    if (!r.result || r.result.error) return;
    const h = r.result.history;
    for (let k = 0; k < h.iterations.length; ++k) {
      const xs = [];
      for (let d = 0; d < dim; ++d) xs.push(exact(h.x[k * dim + d]));
      lines.push([i, r.request.optimizer, h.iterations[k], ...xs, exact(h.values[k]), exact(h.gradient_norm[k]),
        exact(h.gradient_max_abs[k]), exact(h.learning_rates[k])].join(','));
    }
  });
  return lines.join('\n') + '\n';
}

export function runsJson(state, runs) {
  return JSON.stringify({
    state,
    runs: runs.map((r) => {
      if (!r.result || r.result.error) return { request: r.request, error: r.result && r.result.error };
      const h = r.result.history;
      const { history: _history, ...summary } = r.result;
      return { request: r.request, result: summary, history: {
        iterations: Array.from(h.iterations), x: Array.from(h.x), values: Array.from(h.values),
        gradient_norm: Array.from(h.gradient_norm), gradient_max_abs: Array.from(h.gradient_max_abs),
        learning_rates: Array.from(h.learning_rates) } };
    }),
  }, null, 1);
}

// The animation: `frames` slider positions, each drawn by setFrame(iteration) and captured with
// Plotly.toImage at a small size, then encoded.
export async function exportGif(plot, iterations, setFrame, name, { width = 480, height = 380 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const frames = [];
  for (const it of iterations) {
    await setFrame(it);
    const url = await Plotly.toImage(plot, { format: 'png', width, height });
    const img = new Image();
    await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = reject; img.src = url; });
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0);
    frames.push({ data: ctx.getImageData(0, 0, width, height).data, width, height });
  }
  const bytes = encodeGif(frames, { delay: 25 });
  download(name, new Blob([bytes], { type: 'image/gif' }));
  return bytes.length;
}
