// The report page's script (bundled by web/bundle.mjs into report.js; html_writer.hpp embeds it).
//
// It reads the JSON document "kobai-data" (html_writer.hpp) and draws, per section:
//   map        1-D: the curve, each run's iterates on it, the tangent line at the current iterate;
//              2-D: contour lines (log levels when the data says so), −∇f arrows on request, the
//              known minima (★ global, ✕ local), each run's path as arrows
//   surface    2-D: f as a 3-D surface with each path lying on it
//   convergence  f − f* (or f) and ‖∇f‖ against iteration, log scale where the values allow it
//   table      how each run ended (status, verdict and its reason, …), and the command that
//              reproduces it
//   settings   the start, the iteration limit and each run's hyperparameters, which run the
//              section again in the page with kobai's engine (live.mjs)
// One slider per section moves the current iterate of every run in it (play / pause / step).
// For tests and for the curious, window.kobai.sections[i] has {steps, setStep(t), step(), plots,
// rerun(), reset(), reruns}; window.kobai.ready says the first screen has been drawn.
import { el } from '../playground/dom.mjs';
import { renderSection } from './section.mjs';
import { livePanel, markOpened } from './live.mjs';
import { allPlots, isSurface, realize, observeTheRest } from './drawing.mjs';

const data = JSON.parse(document.getElementById('kobai-data').textContent);
const root = document.getElementById('kobai-report');
window.kobai = { data, sections: [], timings: [] };
const started = performance.now();
performance.mark('kobai:script-start');  // Plotly has loaded and run; the page's own work starts

document.title = data.title;
root.appendChild(el('h1', { text: data.title }));
data.sections.forEach((section, s) => window.kobai.sections.push(renderSection(root, data, section, s, livePanel)));
performance.mark('kobai:page-built');

// The first screen: the flat plots whose top is above the fold, found with one layout of the
// page before any plot is drawn (asking each plot's position after drawing the previous one
// would lay the page out again every time). 3-D surfaces sit below the table and wait until a
// quarter of one is on screen: with software WebGL one costs seconds.
const fold = window.innerHeight;
const firstScreen = allPlots.filter((p) => !isSurface(p) && p.div.getBoundingClientRect().top < fold);
const firstScreenDrawn = Promise.all(firstScreen.map(realize));
window.kobai.render_ms = performance.now() - started;
window.kobai.drawAll = () => Promise.all(allPlots.map(realize));

// The page has opened when the frame holding the first screen's plots has been painted: two
// animation frames after Plotly resolved (the second begins once the first was produced), and
// not before the browser's first contentful paint. The slider's handlers are attached by then,
// so it responds. Only after that are the other plots handed to the observers, so drawing them
// does not delay the opening; and only then does kobai's engine start (for the settings).
function afterNextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
function firstContentfulPaint() {
  const seen = () => performance.getEntriesByName('first-contentful-paint').length > 0;
  if (seen() || !('PerformanceObserver' in window)) return Promise.resolve();
  return new Promise((resolve) => {
    const watcher = new PerformanceObserver(() => { if (seen()) { watcher.disconnect(); resolve(); } });
    try { watcher.observe({ type: 'paint', buffered: true }); } catch { resolve(); }
    setTimeout(resolve, 2000);  // a browser that never reports paints (or a blank page) still gets ready
  });
}
firstScreenDrawn.then(afterNextPaint).then(firstContentfulPaint).then(() => {
  performance.mark('kobai:ready');
  window.kobai.ready_ms = performance.now();
  window.kobai.ready = true;
  observeTheRest();
  markOpened();
}, (error) => {
  console.error('kobai report: drawing the first screen failed:', error);
  observeTheRest();
  markOpened();
});
