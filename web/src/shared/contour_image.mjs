// Filled contours drawn into an image (a canvas), for a plot's background.
//
// Why not Plotly's contour trace: Plotly recomputes every trace of a plot whenever any of them
// changes, so with a 100 × 100 contour on the map each restyle of a path (a drag, a slider step)
// cost hundreds of milliseconds on a 2-core machine. As a layout image the field is drawn once and
// the paths above it restyle alone. The look is Plotly's "heatmap" contour colouring: the grid
// bilinearly interpolated, cut into `bands` levels coloured by Viridis, with a light line where
// the level changes between neighbouring pixels.

const VIRIDIS = ['#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e', '#21918c',
  '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725']
  .map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);

export function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

// z: rows (first row = the lowest y) of equal length; null or non-finite = no value (transparent).
// Returns a PNG data URL of width × height, its top row at the highest y.
export function contourImage(z, { width = 400, height = 400, bands = 28 } = {}) {
  const ny = z.length, nx = z[0].length;
  let lo = Infinity, hi = -Infinity;
  for (const row of z) for (const v of row) if (v !== null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi > lo ? hi - lo : 1;
  const band = new Int16Array(width * height);
  for (let j = 0; j < height; ++j) {
    const gy = ((height - 1 - j) / (height - 1)) * (ny - 1);
    const y0 = Math.min(ny - 2, Math.floor(gy)), fy = gy - y0;
    for (let i = 0; i < width; ++i) {
      const gx = (i / (width - 1)) * (nx - 1);
      const x0 = Math.min(nx - 2, Math.floor(gx)), fx = gx - x0;
      const a = z[y0][x0], b = z[y0][x0 + 1], c = z[y0 + 1][x0], d = z[y0 + 1][x0 + 1];
      const v = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
      band[j * width + i] = Number.isFinite(v) && a !== null && b !== null && c !== null && d !== null
        ? Math.min(bands - 1, Math.floor(((v - lo) / span) * bands)) : -1;
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  const colors = Array.from({ length: bands }, (_, k) => viridis((k + 0.5) / bands));
  for (let p = 0; p < band.length; ++p) {
    const k = band[p];
    if (k < 0) continue;
    let rgb = colors[k];
    const right = (p + 1) % width !== 0 ? band[p + 1] : k, below = p + width < band.length ? band[p + width] : k;
    if (right !== k || below !== k) rgb = rgb.map((c) => Math.round(c + (255 - c) * 0.35));
    image.data[4 * p] = rgb[0]; image.data[4 * p + 1] = rgb[1]; image.data[4 * p + 2] = rgb[2]; image.data[4 * p + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL();
}
