// Browser test of the playground (issue 10): Playwright (playwright-core) driving Debian's chromium.
//
//   node web/tests/playground.spec.mjs --kobai build/bin/kobai --out build/browser-artifacts/playground
//
// Writes the page with `kobai playground`, opens it from disk (headless, no network) and checks
// what a learner does: a click on the contour starts a run there (a path appears, the table
// changes), a drag moves it, a learning-rate change changes the path, a mistyped function shows
// the caret error (no console error, the last good function stays drawn), the basin and
// learning-rate maps draw, the URL restores the same state, the PNG/SVG/GIF/CSV exports are valid,
// a preset reproduces its tour row, and the engine's runs agree with `kobai run --json` bit for bit
// on polynomial problems. Screenshots go to --out. Exit status 0 when every check passed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PRESETS, NOT_PRESETS } from '../src/playground/presets.mjs';
import { checks, launchChromium, parseArguments, recordErrors } from './harness.mjs';

const { kobai, out, chromium: chromiumPath } = parseArguments({ out: 'playground-artifacts' });
fs.mkdirSync(out, { recursive: true });

const { check, finish } = checks();
const sh = (argv) => execFileSync(kobai, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const page1 = path.join(out, 'playground.html');
sh(['playground', page1]);
check(fs.statSync(page1).size > 1e6, 'kobai playground wrote ' + page1 + ' (' + (fs.statSync(page1).size / 1e6).toFixed(2) + ' MB)');

const { browser, profile } = await launchChromium(chromiumPath, out,
  { viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
const errors = [];
async function open(url) {
  const page = await browser.newPage();
  recordErrors(page, errors, ['file:', 'data:', 'blob:']);  // the exports are blob: downloads
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.kobai && window.kobai.ready, null, { timeout: 60000 });
  return { page, openMs: Date.now() - t0 };
}
const shot = (page, name) => page.screenshot({ path: path.join(out, name + '.png') });
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
// Page pixel of a data point on the main plot.
const pixelOf = (page, x, y) => page.evaluate(([x, y]) => {
  const gd = document.getElementById('main-plot');
  const rect = gd.getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return [rect.left + xa._offset + xa.l2p(x), rect.top + ya._offset + ya.l2p(y)];
}, [x, y]);
const summary = (page) => page.evaluate(() => window.kobai.runs.map((r) => ({
  optimizer: r.request.optimizer, start: r.request.start, x: r.result.x, value: r.result.value,
  status: r.result.status, iterations: r.result.iterations, rows: r.result.history.iterations.length,
  first: Array.from(r.result.history.x.subarray(0, r.result.history.dimension)) })));
const pathTrace = (page, i) => page.evaluate((i) => {
  const gd = document.getElementById('main-plot');
  const t = gd.data.find((d) => d.name === (i + 1) + '. ' + window.kobai.state.runs[i].optimizer);
  return t ? { n: t.x.length, x0: t.x[0], y0: t.y[0], xl: t.x[t.x.length - 1], yl: t.y[t.y.length - 1] } : null;
}, i);
const tableText = (page) => page.locator('#runs-table').innerText();
const close = (a, b, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

const { page, openMs } = await open('file://' + page1);
console.log('opened in ' + openMs + ' ms');
const initial = await summary(page);
check(initial.length === 2 && initial.every((r) => r.rows > 10), 'default page: two runs on Beale with paths (' +
  initial.map((r) => r.optimizer + ' ' + r.rows + ' rows').join(', ') + ')');
await shot(page, 'playground_default');

// ---- click on the contour → a run starts there ------------------------------------------------
const tableBefore = await tableText(page);
let [px, py] = await pixelOf(page, 2, 1);
await page.mouse.click(px, py);
await settle(page);
let s = await summary(page);
const t0 = await pathTrace(page, 0);
check(s.every((r) => close(r.first[0], 2, 0.02) && close(r.first[1], 1, 0.02)) && t0 && close(t0.x0, s[0].first[0]) && t0.n > 10,
  'a click at (2, 1) starts every run there and draws the path (first point ' + (t0 && [t0.x0, t0.y0].map((v) => v.toFixed(3))) + ')');
check((await tableText(page)) !== tableBefore, 'the table changed after the click');

// ---- drag the start ---------------------------------------------------------------------------
[px, py] = await pixelOf(page, s[0].first[0], s[0].first[1]);
const [qx, qy] = await pixelOf(page, -1, 1.5);
await page.mouse.move(px, py);
await page.mouse.down();
for (let k = 1; k <= 8; ++k) await page.mouse.move(px + ((qx - px) * k) / 8, py + ((qy - py) * k) / 8);
await page.mouse.up();
await settle(page);
s = await summary(page);
const t1 = await pathTrace(page, 0);
check(s.every((r) => close(r.first[0], -1, 0.03) && close(r.first[1], 1.5, 0.03)) && close(t1.x0, s[0].first[0]),
  'a drag to (-1, 1.5) moves the start and the paths follow (first point ' + [t1.x0, t1.y0].map((v) => v.toFixed(3)) + ')');
const urlState = await page.evaluate(() => location.hash);
check(urlState.startsWith('#s='), 'the state is in the URL');

// ---- learning-rate change -------------------------------------------------------------------------
const before = await summary(page);
await page.fill('#run-0-lr-value', '0.001');
await page.dispatchEvent('#run-0-lr-value', 'change');
await settle(page);
const after = await summary(page);
const t2 = await pathTrace(page, 0);
check(after[0].x[0] !== before[0].x[0] && close(t2.xl, after[0].x[0], 1e-12),
  'a learning-rate change (gd lr 0.005 → 0.001) changes the path (end ' + before[0].x.map((v) => v.toFixed(4)) + ' → ' +
  after[0].x.map((v) => v.toFixed(4)) + ')');

// ---- continue from the slider with the optimizer's state kept ----------------------------------
await page.check('#mode-continue');
await page.evaluate(() => window.kobai.app.moveSlider(100));
await page.fill('#run-1-lr-value', '0.01');
await page.dispatchEvent('#run-1-lr-value', 'change');
await settle(page);
const cont = await page.evaluate(() => ({ segments: window.kobai.state.runs[1].segments,
  engine: window.kobai.runs[1].result.segments, iterations: window.kobai.runs[1].result.iterations }));
check(cont.segments.length === 1 && cont.segments[0].at === 100 && cont.engine[0].state_kept === true,
  '"continue": the lr change at iteration 100 is a segment and Adam keeps its state (' + JSON.stringify(cont.engine) + ')');
// a change of another hyperparameter hands the state over too (state()/load_state())
await page.evaluate(() => window.kobai.app.moveSlider(150));
await page.fill('#run-1-beta1', '0.5');
await page.dispatchEvent('#run-1-beta1', 'change');
await settle(page);
const cont2 = await page.evaluate(() => ({ engine: window.kobai.runs[1].result.segments, iterations: window.kobai.runs[1].result.iterations }));
check(cont2.engine.length === 2 && cont2.engine[1].at === 150 && cont2.engine[1].state_kept === true && cont2.iterations === 450,
  '"continue": a β1 change at iteration 150 keeps Adam\'s state as well, and the run goes on for 300 more (' + JSON.stringify(cont2) + ')');
// the state panel: Adam's named state at the slider
await page.evaluate(() => { window.kobai.app.state.selected = 1; window.kobai.app.moveSlider(120); });
const panel = await page.locator('#state-panel').innerText();
check(/state after 120 steps: exp_avg = \(.*\), exp_avg_sq = \(/.test(panel), 'the state panel shows Adam\'s m and v after 120 steps:\n' + panel);
await page.check('#mode-rerun');

// ---- a mistyped function ------------------------------------------------------------------------
const traceCount = await page.evaluate(() => document.getElementById('main-plot').data.length);
const errorsBefore = errors.length;
await page.selectOption('#problem-select', '(typed)');
await page.fill('#expr-input', '(x^2 + y - 11)^2 + (x + y^2 - 7');
await page.dispatchEvent('#expr-input', 'change');
await settle(page);
const err = await page.locator('#expr-error').innerText();
const lines = err.split('\n');
check(await page.locator('#expr-error').isVisible() && lines.length === 3 && lines[2].indexOf('^') === lines[1].length,
  'a bad function shows the inline error with a caret at its end:\n' + err);
check(errors.length === errorsBefore && (await page.evaluate(() => document.getElementById('main-plot').data.length)) === traceCount &&
      (await page.evaluate(() => window.kobai.state.problem.name)) === 'beale',
  'no console error, and the last good function (beale) stays drawn');
await shot(page, 'playground_parse_error');

// ---- a good typed function (Himmelblau) -----------------------------------------------------------
await page.fill('#expr-input', '(x^2 + y - 11)^2 + (x + y^2 - 7)^2');
await page.dispatchEvent('#expr-input', 'change');
await settle(page);
s = await summary(page);
check(await page.locator('#expr-error').isHidden() && (await page.evaluate(() => window.kobai.state.problem.expr)) !== undefined &&
      s.every((r) => r.rows > 1), 'a typed function of x and y is drawn and run');

// ---- maps ---------------------------------------------------------------------------------------------
await page.selectOption('#problem-select', 'himmelblau');
await settle(page);
await page.selectOption('#map-resolution', '32');
await page.click('#basin-start');
await page.waitForFunction(() => document.getElementById('basin-status').dataset.done === '1', null, { timeout: 60000 });
const basin = await page.evaluate(() => {
  const gd = document.getElementById('basin-plot');
  const { firstMs, totalMs } = window.kobai.app.maps.basinInfo;
  return { images: gd.layout.images.length, minima: gd.data[0].x.length, info: { firstMs, totalMs },
           status: document.getElementById('basin-status').innerText };
});
check(basin.images === 1 && basin.minima >= 4, 'the basin map draws (Himmelblau: ' + basin.minima + ' minima found; first picture ' +
  Math.round(basin.info.firstMs) + ' ms, all ' + Math.round(basin.info.totalMs) + ' ms): ' + basin.status.slice(0, 160));
// the same map as `kobai basin` (the command shown under the map): the same starts, the same
// rule (report/basin.hpp), so every class has the same number of starts
const basinCommandLine = await page.locator('#basin-status code').innerText();
const basinWords = basinCommandLine.match(/'[^']*'|\S+/g).map((w) => w.replace(/^'|'$/g, '')).slice(1);
const nativeBasin = JSON.parse(sh([...basinWords, '--json']));
const pageBasin = await page.evaluate(() => {
  const info = window.kobai.app.maps.basinInfo;
  return { counts: info.counts, minima: info.minima };
});
const nativeCounts = nativeBasin.ends.map((e) => e.starts);
const pageCounts = [...pageBasin.counts.perMinimum, pageBasin.counts.diverged, pageBasin.counts.notConverged];
check(JSON.stringify(nativeCounts) === JSON.stringify(pageCounts) &&
      nativeBasin.ends.filter((e) => e.end === 'minimum').every((e, k) => e.x.every((v, d) => v === pageBasin.minima[k][d])),
  'the basin map agrees with "' + basinCommandLine + ' --json" start for start: ' + JSON.stringify(pageCounts) +
  ' (native ' + JSON.stringify(nativeCounts) + ')');
await page.click('#lr-start');
await page.waitForFunction(() => document.getElementById('lr-status').dataset.done === '1', null, { timeout: 60000 });
const lr = await page.evaluate(() => document.getElementById('lr-plot').data.reduce((n, t) => n + t.x.length, 0));
check(lr === 96, 'the learning-rate map draws (96 learning rates: ' + lr + ' points)');
await page.locator('#basin-plot').scrollIntoViewIfNeeded();
await shot(page, 'playground_maps');

// ---- reload from the URL ------------------------------------------------------------------------------
await page.selectOption('#problem-select', 'beale');
await settle(page);
[px, py] = await pixelOf(page, 0.5, 2);
await page.mouse.click(px, py);
await settle(page);
await page.evaluate(() => window.kobai.app.moveSlider(40));
await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"iteration":40'));
const url = await page.evaluate(() => location.href);
const stateBefore = await page.evaluate(() => JSON.stringify(window.kobai.state));
const runsBefore = await summary(page);
const second = await open(url);
const stateAfter = await second.page.evaluate(() => JSON.stringify(window.kobai.state));
const runsAfter = await summary(second.page);
check(stateAfter === stateBefore && JSON.stringify(runsAfter) === JSON.stringify(runsBefore),
  'opening the URL restores the same state and the same runs (slider at ' + (await second.page.evaluate(() => window.kobai.state.iteration)) + ')');
await second.page.close();

// ---- exports --------------------------------------------------------------------------------------------
async function exported(button) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(button)]);
  const file = path.join(out, dl.suggestedFilename());
  await dl.saveAs(file);
  return { file, bytes: fs.readFileSync(file) };
}
const png = await exported('#export-png');
check(png.bytes.length > 1000 && png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'PNG export: ' + png.bytes.length + ' bytes with the PNG signature');
const svg = await exported('#export-svg');
const svgText = svg.bytes.toString('utf8');
check(svgText.startsWith('<svg') && svgText.includes('</svg>') && svgText.includes('<image') && svgText.length > 1000,
  'SVG export: ' + svgText.length + ' characters of <svg>…</svg>, the field embedded as an image');
const gif = await exported('#export-gif');
const gifInfo = await page.evaluate(async (b64) => {
  const img = new Image();
  await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = () => reject(new Error('decode')); img.src = 'data:image/gif;base64,' + b64; });
  return { width: img.naturalWidth, height: img.naturalHeight };
}, gif.bytes.toString('base64')).catch((e) => ({ error: e.message }));
const frames = gif.bytes.toString('latin1').split('\x21\xf9\x04').length - 1;
check(gif.bytes.subarray(0, 6).toString('latin1') === 'GIF89a' && gifInfo.width === 480 && frames === 16,
  'GIF export: ' + gif.bytes.length + ' bytes, 16 frames, decoded by chromium as ' + JSON.stringify(gifInfo));
const csv = await exported('#export-csv');
const csvLines = csv.bytes.toString('utf8').trim().split('\n');
const rows = runsBefore.reduce((n, r) => n + r.rows, 0);
check(csvLines[0] === 'run,optimizer,iteration,x,y,f,gradient_norm,gradient_max_abs,lr' && csvLines.length === rows + 1,
  'CSV export: header and ' + (csvLines.length - 1) + ' rows (one per recorded iterate)');
const json = await exported('#export-json');
check(JSON.parse(json.bytes.toString('utf8')).runs.length === 2, 'JSON export parses, with both runs');

// ---- a preset reproduces its tour row ------------------------------------------------------------------
// every preset whose tour row reproduces the seed (the tour's rule: |kobai − seed| ≤ tol·|seed|)
for (const preset of PRESETS.filter((p) => p.seed && !p.seedDiffers)) {
  await page.selectOption('#preset-select', preset.id);
  await settle(page);
  const r = (await summary(page))[0];
  const caption = await page.locator('#preset-caption').innerText();
  check(preset.seed.every((v, i) => Math.abs(r.x[i] - v) <= preset.tolerance * Math.abs(v)) && caption.includes('reproduced.'),
    'preset ' + preset.id + ' reproduces the seed\'s ' + JSON.stringify(preset.seed) + ': ' + JSON.stringify(r.x) +
    (preset.id === '003-cubic' ? ' — "' + caption + '"' : ''));
}
await shot(page, 'playground_preset');

// ---- every experiment of kobai tour loads in one click, or the menu names it and says why not -------
// The tour's own rows (`kobai tour --json`) are the list: each id is a preset or in NOT_PRESETS.
const tourRows = JSON.parse(sh(['tour', '--json', '--no-progress']));
const tourIds = tourRows.map((row) => row.id);
const listed = [...PRESETS.map((p) => p.id), ...NOT_PRESETS.map((p) => p.id)];
check(tourIds.every((id) => listed.includes(id)) && NOT_PRESETS.every((p) => tourIds.includes(p.id)),
  'each of the ' + tourIds.length + ' tour experiments is a preset or named as not in the playground; missing: ' +
  JSON.stringify(tourIds.filter((id) => !listed.includes(id))));
const disabled = await page.locator('#preset-select option[disabled]').allInnerTexts();
check(disabled.length === NOT_PRESETS.length && NOT_PRESETS.every((p, i) => disabled[i].startsWith(p.id + ': ')),
  'the preset menu names the ' + NOT_PRESETS.length + ' experiments it cannot run, disabled, with the reason');
// the preset added for the regression agrees with the tour's own kobai value (5 gd steps on the same
// quadratic, typed as the tour types it)
for (const [id, fromTour] of [['004-linreg-gd', (v) => v.slice(0, 1)]]) {
  await page.selectOption('#preset-select', id);
  await settle(page);
  const r = (await summary(page))[0];
  const expected = fromTour(tourRows.find((row) => row.id === id).kobai_values);
  check(expected.every((v, i) => Math.abs(r.x[i] - v) <= 1e-12 * Math.abs(v)),
    'preset ' + id + ' ends where the tour\'s row does: ' + JSON.stringify(r.x) + ' vs ' + JSON.stringify(expected));
}

// ---- 1-D: the curve, the iterates and the tangent at the slider ----------------------------------
await page.selectOption('#preset-select', '002-quadratic-lr0.1');
await settle(page);
await page.evaluate(() => window.kobai.app.moveSlider(5));
const oneD = await page.evaluate(() => {
  const gd = document.getElementById('main-plot');
  const h = window.kobai.runs[0].result.history;
  const tangent = gd.data.find((t) => t.name === '1. gd tangent');
  return { curve: gd.data[0].x.length, x5: h.x[5], f5: h.values[5], tx: Array.from(tangent.x), ty: Array.from(tangent.y) };
});
const slope = (oneD.ty[1] - oneD.ty[0]) / (oneD.tx[1] - oneD.tx[0]);
check(oneD.curve === 400 && close(slope, -2 * (5 - oneD.x5), 1e-9) && close((oneD.tx[0] + oneD.tx[1]) / 2, oneD.x5, 1e-12),
  '1-D: the curve (400 points) and the tangent at iteration 5, slope f\'(x_5) = ' + slope.toFixed(6) + ' at x_5 = ' + oneD.x5.toFixed(6));
await page.evaluate(() => window.scrollTo(0, 0));
[px, py] = await pixelOf(page, 12, 50);
await page.mouse.click(px, py);
await settle(page);
const oneStart = (await summary(page))[0].first;
check(oneStart.length === 1 && close(oneStart[0], 12, 0.02), '1-D: a click on the plot at x = 12 starts the run there (' + oneStart[0].toFixed(3) + ')');

// 1-D Newton where f'' < 0 (x⁴ − 3x² at 0.3: f'' = −4.92): the model drawn is the one Newton
// minimizes, with |f''|, and its bottom is Newton's point x − f'/|f''|
await page.selectOption('#preset-select', '004-newton-x2');
await settle(page);
await page.evaluate(() => { window.kobai.app.setProblem({ expr: 'x^4 - 3*x^2' }); });
await page.evaluate(() => window.kobai.app.change((s) => { s.start = [0.3]; s.iteration = 0; }));
await page.evaluate(() => window.kobai.app.moveSlider(0));
const newton1d = await page.evaluate(() => {
  const t = document.getElementById('main-plot').data.find((q) => q.name === '1. newton tangent');
  return { x: Array.from(t.x), y: Array.from(t.y) };
});
{
  const h = newton1d.x[1] - newton1d.x[0];
  const second = (newton1d.y[2] - 2 * newton1d.y[1] + newton1d.y[0]) / (h * h);
  const fpp = 12 * 0.09 - 6, fp = 4 * 0.027 - 6 * 0.3;
  const bottom = newton1d.x[newton1d.y.indexOf(Math.min(...newton1d.y))];
  check(close(second, Math.abs(fpp), 1e-6) && Math.abs(bottom - (0.3 - fp / Math.abs(fpp))) <= 1.01 * h,
    '1-D Newton at x = 0.3 on x⁴ − 3x²: the model drawn has curvature ' + second.toFixed(6) + ' = |f\'\'| = ' + Math.abs(fpp).toFixed(2) +
    ' and its bottom near ' + (0.3 - fp / Math.abs(fpp)).toFixed(4) + ' (drawn ' + bottom.toFixed(4) + ', sampled every ' + h.toFixed(4) + ')');
}

// ---- the same run as `kobai run --json` --------------------------------------------------------------
const cases = [
  { args: ['--function', 'beale', '--optimizer', 'adam', '--lr', '0.1', '--start', '1,1.5', '--iterations', '300'],
    request: { problem: { name: 'beale' }, optimizer: 'adam', hyper: { lr: 0.1 }, start: [1, 1.5], stopping: { max_iterations: 300 } }, exact: true },
  { args: ['--function', 'rosenbrock', '--optimizer', 'lbfgs', '--start', '-1.2,1'],
    request: { problem: { name: 'rosenbrock' }, optimizer: 'lbfgs', hyper: {}, start: [-1.2, 1], stopping: {} }, exact: true },
  { args: ['--function', 'beale', '--optimizer', 'newton', '--start', '1,1.5'],
    request: { problem: { name: 'beale' }, optimizer: 'newton', hyper: {}, start: [1, 1.5], stopping: {} }, exact: true },
  { args: ['--expr', '(1 - x)^2 + 100*(y - x^2)^2', '--optimizer', 'momentum', '--lr', '0.001', '--start', '-1.2,1', '--iterations', '2000'],
    request: { problem: { expr: '(1 - x)^2 + 100*(y - x^2)^2' }, optimizer: 'momentum', hyper: { lr: 0.001 }, start: [-1.2, 1],
               stopping: { max_iterations: 2000 } }, exact: true },
  { args: ['--function', 'quadratic1d', '--optimizer', 'gd', '--lr', '0.9', '--iterations', '30', '--tolerance', '0'],
    request: { problem: { name: 'quadratic1d' }, optimizer: 'gd', hyper: { lr: 0.9 }, stopping: { max_iterations: 30, gradient_tolerance: 0 } }, exact: true },
  { args: ['--function', 'ackley', '--optimizer', 'rmsprop', '--lr', '0.01', '--start', '1.3,-0.7', '--iterations', '500'],
    request: { problem: { name: 'ackley' }, optimizer: 'rmsprop', hyper: { lr: 0.01 }, start: [1.3, -0.7], stopping: { max_iterations: 500 } }, exact: false },
];
for (const c of cases) {
  const native = JSON.parse(sh(['run', ...c.args, '--json']));
  const web = await page.evaluate((req) => { const r = window.kobai.engine.run(req); return { x: r.x, value: r.value, iterations: r.iterations, status: r.status, error: r.error }; }, c.request);
  const same = c.exact
    ? web.x.every((v, i) => v === native.x[i]) && web.value === native.value
    : web.x.every((v, i) => Math.abs(v - native.x[i]) <= 1e-12 * Math.max(1, Math.abs(native.x[i]))) && Math.abs(web.value - native.value) <= 1e-12 * Math.max(1, Math.abs(native.value));
  check(same && web.iterations === native.iterations && web.status === native.status,
    'kobai run ' + c.args.join(' ') + ': the page ' + (c.exact ? 'matches bit for bit' : 'agrees within 1e-12') +
    ' (x = ' + JSON.stringify(web.x) + ', ' + web.status + ' after ' + web.iterations + ')');
}

// ---- a diverging run explained with its numbers; the learning-rate map's stability bound ----------
// gd with lr 10 on the sphere f = x² + y² (∇²f = 2I, λ_max = 2): η·λ_max = 20 > 2
await page.selectOption('#preset-select', '000-sphere-lr10');
await settle(page);
const explanation = await page.locator('#explanations').innerText();
const divergedRun = (await summary(page))[0];
check(divergedRun.status === 'diverged' && explanation.includes('λ_max = 2,') && explanation.includes('η·λ_max = 10 × 2 = 20 > 2') &&
      explanation.includes('|1 − η·λ_max| = 19') && explanation.includes('below 2/λ_max = 1 '),
  'a diverging run is explained with the numbers: "' + explanation.trim() + '"');
const tableNow = await tableText(page);
const message = await page.evaluate(() => window.kobai.runs[0].result.message);
check(message.length > 10 && tableNow.includes('diverged') && tableNow.includes(message), 'the table shows the status and its reason: "' + message + '"');
await page.click('#lr-start');
await page.waitForFunction(() => document.getElementById('lr-status').dataset.done === '1', null, { timeout: 60000 });
const lrMap = await page.evaluate(() => {
  const gd = document.getElementById('lr-plot');
  const points = [];
  for (const t of gd.data) t.x.forEach((lr) => points.push({ lr, name: t.name }));
  return { bound: gd.layout.shapes[0] && gd.layout.shapes[0].x0, label: gd.layout.annotations[0] && gd.layout.annotations[0].text, points };
});
const wrongSide = lrMap.points.filter((p) => (p.name === 'diverged') !== (p.lr > lrMap.bound));
check(close(lrMap.bound, 1, 1e-12) && wrongSide.length === 0 && lrMap.points.length === 96 && lrMap.points.some((p) => p.name === 'diverged'),
  'the learning-rate map draws the bound 2/λ_max = ' + lrMap.bound + ' ("' + lrMap.label + '"): exactly the learning rates above it diverge (' +
  lrMap.points.filter((p) => p.name === 'diverged').length + ' of 96)');


// ---- the caption is written from the current settings -----------------------------------------------
await page.selectOption('#preset-select', '003-elliptic-momentum');
await settle(page);
const caption1 = await page.locator('#preset-caption').innerText();
await page.fill('#run-0-lr-value', '0.05');
await page.dispatchEvent('#run-0-lr-value', 'change');
await settle(page);
const caption2 = await page.locator('#preset-caption').innerText();
const endNow = (await summary(page))[0];
check(caption1.includes('lr 0.1, momentum 0.8') && caption2.includes('lr 0.05, momentum 0.8') && !caption2.includes('lr 0.1,') &&
      caption2.includes(String(endNow.iterations) + ' iterations'),
  'the preset caption follows the settings: "' + caption1.slice(0, 90) + '…" → "' + caption2.slice(0, 90) + '…"');

await page.click('#lr-start');
await page.waitForFunction(() => document.getElementById('lr-status').dataset.done === '1', null, { timeout: 60000 });
await page.selectOption('#lr-measure', 'iterations');
const lrIterations = await page.evaluate(() => {
  const gd = document.getElementById('lr-plot');
  // the fastest converged learning rate: its iteration count, against the engine's own run
  const t = gd.data.find((q) => q.name === 'converged');
  const k = t.y.indexOf(Math.min(...t.y));
  const lr = t.x[k];
  const request = window.kobai.app.mapRequest();
  const r = window.kobai.engine.runMany({ ...request, hyper: { ...request.hyper, lr } }, window.kobai.app.currentStart());
  return { title: gd.layout.yaxis.title.text, lr, shown: t.y[k], engine: Math.max(r.iterations[0], 1), status: r.status[0],
           url: decodeURIComponent(location.hash).includes('"lrMeasure":"iterations"') };
});
check(lrIterations.title === 'iterations' && lrIterations.shown === lrIterations.engine && lrIterations.status === 0 &&
      lrIterations.shown < 1000 && lrIterations.url,
  'the learning-rate map can show the iterations instead: momentum on elliptic converged fastest with lr ' + lrIterations.lr.toPrecision(4) +
  ', in ' + lrIterations.shown + ' iterations (the engine\'s own run agrees; the choice is in the URL)');
await page.selectOption('#lr-measure', 'value');

// ---- a line search's trial steps at the selected iteration (L-BFGS, strong Wolfe) ------------------
await page.selectOption('#problem-select', 'rosenbrock');
await settle(page);
await page.evaluate(() => window.kobai.app.change((s) => {
  s.runs = [{ optimizer: 'lbfgs', hyper: {}, segments: [] }]; s.selected = 0; s.start = [-1.2, 1];
  s.stopping = { ...s.stopping, max_iterations: 300, gradient_tolerance: 1e-8 };
}, { panel: true }));
// the iteration whose search tried the most steps (L-BFGS from (−1.2, 1): 3 trials at iteration 13)
const lsAt = await page.evaluate(() => {
  const engine = window.kobai.engine, run = window.kobai.runs[0];
  let best = 0, most = 0;
  for (let i = 0; i < run.result.iterations; ++i) {
    const t = engine.run({ ...run.request, stop_at: i + 1, line_search_trace_at: i, history_max_rows: 2, gradients: false }).line_search_trace;
    if (t.trials.length > most) { most = t.trials.length; best = i; }
  }
  window.kobai.app.moveSlider(best);
  return best;
});
await settle(page);
const ls = await page.evaluate((k) => {
  const engine = window.kobai.engine, run = window.kobai.runs[0];
  const trace = engine.run({ ...run.request, stop_at: k + 1, line_search_trace_at: k, history_max_rows: 2, gradients: false }).line_search_trace;
  const h = run.result.history;
  const x4 = Array.from(h.x.subarray((k + 1) * 2, (k + 2) * 2));
  // every trial re-evaluated through another path of the engine (evaluate, not the line search)
  const again = trace.trials.map((t) => engine.evaluate({ name: 'rosenbrock' }, [trace.x[0] + t.step * trace.direction[0], trace.x[1] + t.step * trace.direction[1]]));
  const rows = Array.from(document.querySelectorAll('#line-search-trials tbody tr')).map((tr) => Array.from(tr.cells).map((c) => c.textContent));
  const gd = document.getElementById('main-plot');
  const marks = gd.data.find((t) => t.name === 'line-search trials');
  return { trace, x4, again: again.map((e) => [e.values[0], e.gradients[0], e.gradients[1]]), rows,
           marks: { x: Array.from(marks.x), y: Array.from(marks.y) }, iteration4: h.iterations[k + 1] };
}, lsAt);
{
  const t = ls.trace;
  const last = t.trials[t.trials.length - 1];
  const accepted = [t.x[0] + last.step * t.direction[0], t.x[1] + last.step * t.direction[1]];
  const valuesAgree = t.trials.every((q, j) => q.value === ls.again[j][0] &&
    q.slope === ls.again[j][1] * t.direction[0] + ls.again[j][2] * t.direction[1]);
  const testsAgree = t.trials.every((q) => q.sufficient_decrease === (q.value <= t.value0 + t.c1 * q.step * t.slope0) &&
    q.curvature === (Math.abs(q.slope) <= t.c2 * Math.abs(t.slope0)));
  const tableAgrees = ls.rows.length === t.trials.length && ls.rows.every((r, j) => Number(r[1]) === Number(t.trials[j].step.toPrecision(6)) &&
    r[4] === (t.trials[j].sufficient_decrease ? '✓' : '✗') && r[6] === (t.trials[j].curvature ? '✓' : '✗')) && ls.rows[ls.rows.length - 1][7] === 'accepted';
  const marksAgree = ls.marks.x.length === t.trials.length && ls.marks.x.every((x, j) => x === t.x[0] + t.trials[j].step * t.direction[0]);
  check(t.kind === 'wolfe' && t.c1 === 1e-4 && t.c2 === 0.9 && t.ok && t.trials.length >= 2 && ls.iteration4 === lsAt + 1 &&
        accepted[0] === ls.x4[0] && accepted[1] === ls.x4[1] &&
        valuesAgree && testsAgree && tableAgrees && marksAgree && last.sufficient_decrease && last.curvature &&
        t.trials.slice(0, -1).every((q) => !(q.sufficient_decrease && q.curvature)),
    'L-BFGS on Rosenbrock, iteration ' + lsAt + ': the line search\'s ' + t.trials.length + ' trial(s) α = ' + t.trials.map((q) => q.step.toPrecision(6)).join(', ') +
    ' with f and φ\' re-evaluated equal, the Armijo/curvature marks right (' + ls.rows.map((r) => r[4] + r[6]).join(' ') +
    '), the accepted point = x_' + (lsAt + 1) + ' bit for bit, and marked on the contour');
}
await page.locator('#state-panel').scrollIntoViewIfNeeded();
await shot(page, 'playground_line_search');

// ---- Newton: rejected trials (Armijo backtracking) and its local model on the contour ----------------
// Newton on Rosenbrock from (−1.2, 1): its Hessian is positive definite along the way and some
// unit steps fail Armijo
await page.evaluate(() => window.kobai.app.change((s) => {
  s.runs = [{ optimizer: 'newton', hyper: {}, segments: [] }]; s.selected = 0; s.start = [-1.2, 1];
}, { panel: true }));
const newton = await page.evaluate(() => {
  const engine = window.kobai.engine, run = window.kobai.runs[0];
  const n = run.result.iterations;
  let k = -1;
  for (let i = 0; i < n && k < 0; ++i) {
    const t = engine.run({ ...run.request, stop_at: i + 1, line_search_trace_at: i, history_max_rows: 2, gradients: false }).line_search_trace;
    if (t && t.trials.length > 1 && !t.hessian_modified) k = i;
  }
  if (k < 0) return { k };
  window.kobai.app.moveSlider(k);
  const trace = engine.run({ ...run.request, stop_at: k + 1, line_search_trace_at: k, history_max_rows: 2, gradients: false }).line_search_trace;
  const c = engine.curvature({ name: 'rosenbrock' }, trace.x);
  const g = engine.evaluate({ name: 'rosenbrock' }, trace.x).gradients;
  const gd = document.getElementById('main-plot');
  const model = gd.data.find((t) => t.name === 'model');
  const rows = Array.from(document.querySelectorAll('#line-search-trials tbody tr')).map((tr) => Array.from(tr.cells).map((q) => q.textContent));
  return { k, trace, hessian: Array.from(c.hessian), g: Array.from(g), mx: Array.from(model.x), my: Array.from(model.y), rows,
           panel: document.getElementById('state-panel').innerText };
});
if (newton.k < 0) check(false, 'Newton on Rosenbrock from (-1.2, 1): no iteration backtracked');
else {
  const t = newton.trace, [a, b, , c] = newton.hessian, [g0, g1] = newton.g;
  // the Newton point x − H⁻¹∇f, solved here from the engine's Hessian
  const det = a * c - b * b;
  const nx = [t.x[0] - (c * g0 - b * g1) / det, t.x[1] - (a * g1 - b * g0) / det];
  const centre = [newton.mx[newton.mx.length - 1], newton.my[newton.my.length - 1]];
  // the outer ellipse passes through x_k: m(x_k) − m(x*) is its level
  const outer = newton.mx.slice(0, 73).map((x, j) => Math.hypot(x - t.x[0], newton.my[j] - t.x[1]));
  const size = Math.max(...outer);
  const modelAt = (x, y) => { const u = x - nx[0], v = y - nx[1]; return 0.5 * (a * u * u + 2 * b * u * v + c * v * v); };
  const level = modelAt(t.x[0], t.x[1]);
  const onLevel = newton.mx.slice(0, 73).every((x, j) => close(modelAt(x, newton.my[j]), level, 1e-9));
  check(close(centre[0], nx[0], 1e-9) && close(centre[1], nx[1], 1e-9) && onLevel && Math.min(...outer) < 0.05 * size &&
        newton.rows.length === t.trials.length && newton.rows[0][4] === '✗' && newton.rows[0][6] === '—' &&
        t.trials[0].step === 1 && t.trials.slice(0, -1).every((q) => !q.sufficient_decrease || q.value >= t.value0) &&
        newton.panel.includes('Newton\'s model'),
    'Newton on Rosenbrock, iteration ' + newton.k + ': the unit step fails Armijo (✗), backtracking to α = ' + t.step.toPrecision(6) +
    '; the model\'s ellipses are level sets of ½(x − x*)ᵀH(x − x*) centred on the Newton point ' + nx.map((v) => v.toFixed(6)) + ', the outer one through x_k');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'playground_newton_model');
}

// Newton on Beale from (1, 1.5): at the start the Hessian is indefinite; the panel says Newton used
// |λ| and the model drawn is the modified one (its ellipses centred on x + d, d the step Newton took)
await page.selectOption('#problem-select', 'beale');
await settle(page);
await page.evaluate(() => window.kobai.app.change((s) => {
  s.runs = [{ optimizer: 'newton', hyper: {}, segments: [] }]; s.selected = 0; s.start = [1, 1.5];
}, { panel: true }));
await page.evaluate(() => window.kobai.app.moveSlider(0));
const beale0 = await page.evaluate(() => {
  const run = window.kobai.runs[0];
  const trace = window.kobai.engine.run({ ...run.request, stop_at: 1, line_search_trace_at: 0, history_max_rows: 2, gradients: false }).line_search_trace;
  const c = window.kobai.engine.curvature({ name: 'beale' }, [1, 1.5]);
  const model = document.getElementById('main-plot').data.find((t) => t.name === 'model');
  return { modified: trace.hessian_modified, d: trace.direction, eigenvalues: Array.from(c.eigenvalues),
           centre: [model.x[model.x.length - 1], model.y[model.y.length - 1]], panel: document.getElementById('state-panel').innerText };
});
check(beale0.modified && beale0.eigenvalues[0] < 0 && beale0.panel.includes('not positive definite, so Newton used |λ|') &&
      beale0.centre[0] === 1 + beale0.d[0] && beale0.centre[1] === 1.5 + beale0.d[1],
  'Newton on Beale at (1, 1.5): H has eigenvalues ' + beale0.eigenvalues.map((v) => v.toPrecision(6)).join(', ') +
  '; the panel says it used |λ| and the model is centred on x + d = ' + beale0.centre.map((v) => v.toPrecision(6)));

// ---- copy as command, rerun -------------------------------------------------------------------------------
await page.selectOption('#preset-select', 'beale-five-optimizers');
await settle(page);
await page.click('#copy-command');
const command = await page.locator('#command').innerText();
const words = command.match(/'[^']*'|\S+/g).map((w) => w.replace(/^'|'$/g, '')).slice(1);
const compared = JSON.parse(sh([...words, '--json']));
const pageRuns = await summary(page);
check(Array.isArray(compared.runs) && compared.runs.length === 5 && compared.runs.every((r, i) => r.x.every((v, d) => v === pageRuns[i].x[d])),
  'copy as command: "' + command + '" reproduces the five runs bit for bit');

// ---- the 3-D surface --------------------------------------------------------------------------------------
await page.check('#toggle-arrows');
await page.check('#toggle-surface');
await page.waitForFunction(() => { const gd = document.getElementById('surface-plot'); return gd.data && gd.data.length === 6; }, null, { timeout: 60000 });
check(true, 'the 3-D surface draws with the five paths, and the −∇f arrows are on the contour');
await page.evaluate(() => window.scrollTo(0, 0));
await shot(page, 'playground_five');

check(errors.length === 0, 'no console errors and no network requests' + (errors.length ? ': ' + errors.join(' | ') : ''));
await browser.close();
fs.rmSync(profile, { recursive: true, force: true });
finish();
