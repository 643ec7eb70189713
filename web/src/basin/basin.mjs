// The `kobai basin --report` page's script (bundled by web/bundle.mjs into basin.js;
// include/kobai/report/basin_page.hpp embeds it). It reads the JSON document "kobai-basin-data"
// (basin_page.hpp computes everything in it) and draws: where each start ends (one colour per
// minimum, the playground's basin colours, shared/basin_colors.mjs; diverged and not converged in
// their own), log₁₀ of the iterations each run took, and the table of how many starts end where.
import { basinColor, rgb, DIVERGED, NOT_CONVERGED } from '../shared/basin_colors.mjs';

const data = JSON.parse(document.getElementById('kobai-basin-data').textContent);
const labels = data.minima.map((m) => m.label).concat(['diverged', 'not converged']);
const colours = data.minima.map((m, k) => basinColor(k)).concat([rgb(DIVERGED), rgb(NOT_CONVERGED)]);
const n = labels.length;
// A colour scale with one flat band per category: category k covers [k / n, (k + 1) / n].
const scale = [];
colours.forEach((c, k) => { scale.push([k / n, c]); scale.push([(k + 1) / n, c]); });
const hover = data.category.map((row, iy) => row.map((c, ix) =>
  labels[c] + '<br>' + data.iterations[iy][ix] + ' iterations<br>ended at ' + data.ends[iy][ix]));
const is1d = data.y.length === 1;
const ys = is1d ? [0] : data.y;
const minimaTrace = {
  type: 'scatter', mode: 'markers', name: 'minima', hoverinfo: 'text',
  x: data.minima.map((m) => m.x[0]), y: data.minima.map((m) => (is1d ? 0 : m.x[1])),
  text: data.minima.map((m) => m.label),
  marker: { symbol: 'x', size: 11, color: 'white', line: { color: 'black', width: 2 } } };
const layout = (title) => ({
  title, height: is1d ? 260 : 560, margin: { t: 40, l: 60, r: 20, b: 50 },
  xaxis: { title: 'x (start)' }, yaxis: is1d ? { visible: false } : { title: 'y (start)', scaleanchor: 'x' } });
Plotly.newPlot('kobai-basin-ends', [{
  type: 'heatmap', x: data.x, y: ys, z: data.category, zmin: -0.5, zmax: n - 0.5, colorscale: scale,
  showscale: false, text: hover, hoverinfo: 'x+y+text' }, minimaTrace],
layout('where each start ends'), { responsive: true });
const logIterations = data.iterations.map((row) => row.map((v) => Math.log10(Math.max(v, 1))));
Plotly.newPlot('kobai-basin-iterations', [{
  type: 'heatmap', x: data.x, y: ys, z: logIterations, colorscale: 'Viridis', text: hover,
  hoverinfo: 'x+y+text', colorbar: { title: 'log10 iterations' } }, minimaTrace],
layout('iterations the run took (log10)'), { responsive: true });

const table = document.getElementById('kobai-basin-table');
const total = data.x.length * data.y.length;
labels.forEach((label, k) => {
  const count = data.counts[k];
  if (count === 0 && k >= data.minima.length) return;  // no row for an empty diverged / not converged
  const row = table.insertRow();
  const swatch = row.insertCell();
  swatch.style.background = colours[k];
  swatch.style.width = '1.2em';
  row.insertCell().textContent = label;
  row.insertCell().textContent = k < data.minima.length ? data.minima[k].value.toPrecision(6) : '';
  row.insertCell().textContent = count + ' (' + (100 * count / total).toFixed(1) + '%)';
  row.insertCell().textContent = data.median_iterations[k] === null ? '' : data.median_iterations[k];
});
