// The `kobai train --report` page's script (bundled by web/bundle.mjs into training.js;
// include/kobai/report/training_page.hpp embeds it). It reads the JSON document
// "kobai-training-data" (training_page.hpp computes everything in it) and draws: four curves
// against the iteration (one trace per run, in the reports' run colours, shared/palette.mjs), a
// confusion matrix per run, and the misclassified test samples from their pixels.
// window.kobaiReady says the page has been drawn (web/tests/train_report.spec.mjs waits on it).
import { colorOf } from '../shared/palette.mjs';

const data = JSON.parse(document.getElementById('kobai-training-data').textContent);
const plots = [['kobai-train-loss', 'train_loss', 'training loss (mean batch loss over the epoch)', 'loss'],
  ['kobai-test-loss', 'test_loss', 'test loss', 'loss'],
  ['kobai-train-accuracy', 'train_accuracy', 'training accuracy', 'accuracy'],
  ['kobai-test-accuracy', 'test_accuracy', 'test accuracy', 'accuracy']];
for (const [id, key, title, unit] of plots) {
  const traces = data.runs.map((run, k) => ({
    type: 'scatter', mode: 'lines+markers', name: run.optimizer,
    x: run.rows.iteration, y: run.rows[key], customdata: run.rows.epoch,
    line: { color: colorOf(k) },
    hovertemplate: run.optimizer + '<br>iteration %{x} (epoch %{customdata:.2f})<br>' + unit +
                   ' %{y:.4f}<extra></extra>' }));
  Plotly.newPlot(id, traces, {
    title, height: 340, margin: { t: 40, l: 60, r: 20, b: 50 },
    xaxis: { title: 'iteration' },
    yaxis: unit === 'accuracy' ? { title: unit, tickformat: '.0%' } : { title: unit, type: 'log' } },
  { responsive: true });
}

const matrices = document.getElementById('kobai-confusion');
data.runs.forEach((run, k) => {
  const div = document.createElement('div');
  div.className = 'kobai-confusion-matrix';
  div.id = 'kobai-confusion-' + k;
  matrices.appendChild(div);
  const text = run.confusion.map((row) => row.map(String));
  Plotly.newPlot(div, [{
    type: 'heatmap', x: data.classes, y: data.classes, z: run.confusion, colorscale: 'Blues', reversescale: true,
    text, texttemplate: '%{text}', showscale: false,
    hovertemplate: 'true %{y}, predicted %{x}: %{z}<extra></extra>' }], {
    title: run.optimizer + ': ' + (100 * run.accuracy).toFixed(2) + '% right', height: 420, width: 440,
    margin: { t: 40, l: 50, r: 10, b: 50 },
    xaxis: { title: 'predicted', type: 'category' },
    yaxis: { title: 'true', type: 'category', autorange: 'reversed', scaleanchor: 'x' } },
  { responsive: false });
});

const m = data.misclassified;
document.getElementById('kobai-misclassified-note').textContent = m.side === 0
  ? 'A sample is not a square image, so none is drawn.'
  : m.optimizer + ' (the most accurate run) gets ' + m.total + ' of the ' + data.test_count +
    ' test samples wrong; the first ' + m.drawn + ' are drawn, captioned true class → predicted class.';
const gallery = document.getElementById('kobai-misclassified');
for (const item of m.items) {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.width = m.side;
  canvas.height = m.side;
  const context = canvas.getContext('2d');
  const image = context.createImageData(canvas.width, canvas.height);
  for (let p = 0; p < canvas.width * canvas.height; ++p) {
    const v = 255 - parseInt(item.pixels.substr(2 * p, 2), 16);  // dark ink on white
    image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = v;
    image.data[4 * p + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  const caption = document.createElement('figcaption');
  caption.textContent = '#' + item.index + ': ' + item.label + ' → ' + item.predicted;
  figure.append(canvas, caption);
  gallery.appendChild(figure);
}
window.kobaiReady = true;
