// Browser test of kobai's HTML reports: Playwright (playwright-core) driving Debian's chromium.
//
//   node web/tests/reports.spec.mjs --kobai build/bin/kobai --out build/browser-artifacts
//
// Makes reports with the built `kobai` program — a 1-D run, a 2-D run, a comparison, a sweep, the
// tour and a 1,000,000-iteration run — opens each headless and checks: no console errors, the
// plots and traces the page promises exist with the right number of points, and the slider, the
// step button and the play button move the current iterate to the right place; the comparison is
// live: its numbers are the command's, a rerun with unchanged settings computes the same bits in
// the page (kobai's WebAssembly engine), and a changed learning rate or a click on the map
// recomputes the paths and the table (the changed run equal to `kobai run --json`); the long run's
// report opens in under 2 s (median of 5 opens) and is under 5 MiB beyond the embedded Plotly.
// Screenshots and a measurements.json (open times, where they go, size) go to --out.
//
// "Opened" (docs/reports.md): the page's own `ready` — the first screen's plots drawn by Plotly,
// the frame holding them painted (not before the browser's first-contentful-paint), the slider
// wired — timed from before navigation starts to when the test sees `ready`.
// Exit status 0 when every check passed; the failures are listed otherwise.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checks, launchChromium, parseArguments, recordErrors } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { kobai, out, chromium: chromiumPath } = parseArguments({ out: 'browser-artifacts' });
fs.mkdirSync(out, { recursive: true });

const { check, finish } = checks();
function sh(argv) {
  return execFileSync(kobai, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function supportsReport(command) {
  try { return sh([command, '--help']).includes('--report'); } catch { return false; }
}

// ---- the reports --------------------------------------------------------------------------
const runHasReport = supportsReport('run');
const tourHasReport = supportsReport('tour');
const file = (name) => path.join(out, name + '.html');
// A single run: `kobai run --report` when the program has it, else `kobai compare` with one
// optimizer (the same page, one path).
function singleRun(name, fn, optimizer, extra) {
  if (runHasReport) sh(['run', '--function', fn, '--optimizer', optimizer, ...extra, '--report', file(name)]);
  else sh(['compare', '--function', fn, '--optimizers', optimizer, ...extra, '--report', file(name)]);
}
console.log('making reports with ' + kobai + (runHasReport ? '' : ' (kobai run has no --report yet: using kobai compare)'));
singleRun('run_1d', 'quadratic1d', 'gd', ['--lr', '0.1', '--iterations', '30', '--tolerance', '0']);
singleRun('run_2d', 'beale', 'adam', ['--lr', '0.1', '--start', '3,4', '--iterations', '500']);
// the comparison's own numbers (--json), which the page shows first and a rerun must reproduce
const compareJson = JSON.parse(sh(['compare', '--function', 'beale', '--optimizers', 'gd,momentum,adagrad,rmsprop,adam',
  '--start', '1,1.5', '--iterations', '300', '--lr', 'gd=0.005,momentum=0.005,adagrad=0.5,rmsprop=0.05,adam=0.1',
  '--gradient-field', '--report', file('compare'), '--json']));
sh(['sweep', '--function', 'quadratic1d', '--optimizer', 'gd', '--lr', '0.1,0.9,1.0,1.1', '--iterations', '30',
    '--tolerance', '0', '--report', file('sweep')]);
if (tourHasReport) sh(['tour', '--report', file('tour')]);
singleRun('long', 'beale', 'adam', ['--lr', '1e-3', '--beta2', '0.8', '--start', '3,4', '--iterations', '1000000',
                                    '--tolerance', '0']);

// ---- the browser --------------------------------------------------------------------------
const { browser, profile } = await launchChromium(chromiumPath, out, { viewport: { width: 1280, height: 900 } });

async function open(name, { drawAll = true } = {}) {
  const page = await browser.newPage();
  const errors = [];
  recordErrors(page, errors);
  const t0 = Date.now();
  await page.goto('file://' + file(name));
  await page.waitForFunction(() => window.kobai && window.kobai.ready, null, { timeout: 60000 });
  const openMs = Date.now() - t0;
  // where the time went, by the page's own clock (ms from navigation start)
  const timing = await page.evaluate(() => {
    const mark = (name) => { const m = performance.getEntriesByName(name)[0]; return m ? Math.round(m.startTime) : null; };
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const fold = window.innerHeight;
    const firstScreen = Array.from(document.querySelectorAll('.plot')).filter((d) =>
      !d.id.endsWith('-surface') && d.getBoundingClientRect().top < fold);
    return { plotly_loaded_ms: mark('kobai:script-start'), page_built_ms: mark('kobai:page-built'),
             first_contentful_paint_ms: fcp ? Math.round(fcp.startTime) : null, ready_ms: Math.round(window.kobai.ready_ms),
             first_screen_plots: firstScreen.length, first_screen_drawn: firstScreen.every((d) => d.data && d._fullLayout) };
  });
  check(timing.first_screen_plots > 0 && timing.first_screen_drawn && timing.first_contentful_paint_ms !== null &&
        timing.first_contentful_paint_ms <= timing.ready_ms,
        name + ': ready only after its first screen (' + timing.first_screen_plots + ' plots) was drawn and painted');
  if (drawAll) await page.evaluate(() => window.kobai.drawAll());
  return { page, errors, openMs, timing };
}
// No sideways scrolling: the page (its tables included) fits the window at 1280 px and up.
async function fitsTheWidth(page, name) {
  for (const width of [1280, 1400]) {
    await page.setViewportSize({ width, height: 900 });
    const m = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))));
    check(m.scroll <= m.client, name + ': no horizontal scrolling at ' + width + ' px (page ' + m.scroll +
          ' px wide in a ' + m.client + ' px window)');
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
// Every trace of a plot: name, type, number of points.
const traces = (page, id) => page.evaluate((id) => document.getElementById(id).data.map((t) => ({
  name: t.name, type: t.type || 'scatter', n: t.x ? t.x.length : 0, zRows: t.z ? t.z.length : 0,
  zCols: t.z && t.z[0] && t.z[0].length !== undefined ? t.z[0].length : 0 })), id);
const traceData = (page, id, name) => page.evaluate(([id, name]) => {
  const t = document.getElementById(id).data.find((d) => d.name === name);
  return t ? { x: Array.from(t.x), y: Array.from(t.y || []), z: t.z ? Array.from(t.z) : null } : null;
}, [id, name]);
const run = (page, s, r) => page.evaluate(([s, r]) => window.kobai.data.sections[s].runs[r], [s, r]);
async function screenshot(page, name) {
  await page.screenshot({ path: path.join(out, name + '.png'), fullPage: true });
}
// Moves the slider with the keyboard (a real input event) and returns the section's step.
async function slideTo(page, s, target) {
  const slider = page.locator('#section-' + s + '-slider');
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < target; ++i) await page.keyboard.press('ArrowRight');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  return page.evaluate((s) => window.kobai.sections[s].step(), s);
}

// 1-D run: curve, 31 iterates (start + 30 steps), the tangent at the current iterate.
{
  console.log('1-D run');
  const { page, errors } = await open('run_1d');
  const t = await traces(page, 'section-0-map0');
  const curve = t.find((x) => x.name === 'f(x)');
  check(curve && curve.n === 400, '1-D: the curve has 400 points');
  const r = await run(page, 0, 0);
  check(r.path.iteration.length === 31, '1-D: 31 drawn iterates (start + 30 steps), got ' + r.path.iteration.length);
  const path1 = t.find((x) => x.name === r.label);
  check(path1 && path1.n === 31, '1-D: the path trace has 31 points');
  check(t.some((x) => x.name === r.label + ' tangent' && x.n === 2), '1-D: a tangent line trace of 2 points');
  check(t.some((x) => x.name === 'global minimum'), '1-D: the minimum is marked');
  const step = await slideTo(page, 0, 5);
  const it = await traceData(page, 'section-0-map0', r.label + ' iterate');
  check(step === 5 && it.x[0] === r.path.x[0][5] && it.y[0] === r.path.value[5],
        '1-D: the slider moves the iterate to iteration 5 (x = ' + it.x[0] + ')');
  const tan = await traceData(page, 'section-0-map0', r.label + ' tangent');
  const slope = (tan.y[1] - tan.y[0]) / (tan.x[1] - tan.x[0]);
  check(Math.abs(slope - r.path.slope[5]) <= 1e-9 * Math.max(1, Math.abs(slope)) &&
        Math.abs((tan.x[0] + tan.x[1]) / 2 - r.path.x[0][5]) < 1e-9,
        '1-D: the tangent passes through iterate 5 with slope f\'(x5) = ' + r.path.slope[5]);
  await page.click('#section-0 button.step');
  const after = await traceData(page, 'section-0-map0', r.label + ' iterate');
  check(after.x[0] === r.path.x[0][6], '1-D: the step button moves to iteration 6');
  await page.click('#section-0 button.play');
  await page.waitForFunction(() => window.kobai.sections[0].step() >= 9, null, { timeout: 10000 })
    .then(() => check(true, '1-D: play animates the iterations'), () => check(false, '1-D: play animates the iterations'));
  await page.click('#section-0 button.play');  // pause
  await slideTo(page, 0, 3);
  await fitsTheWidth(page, '1-D');
  await screenshot(page, 'run_1d');
  check(errors.length === 0, '1-D: no console errors ' + JSON.stringify(errors));
  await page.close();
}

// 2-D run: contour 100×100, path with arrows, minimum, surface with the path on it.
{
  console.log('2-D run');
  const { page, errors } = await open('run_2d');
  const r = await run(page, 0, 0);
  const t = await traces(page, 'section-0-map0');
  check(t.some((x) => x.type === 'contour' && x.zRows === 100 && x.zCols === 100), '2-D: a 100×100 contour');
  check(t.some((x) => x.name === r.label && x.n === r.path.iteration.length && x.n === 501),
        '2-D: the path trace has 501 points (start + 500 steps)');
  check(t.some((x) => x.name === 'global minimum'), '2-D: the minimum is marked');
  const s = await traces(page, 'section-0-surface');
  check(s.some((x) => x.type === 'surface') && s.some((x) => x.type === 'scatter3d' && x.name === r.label && x.n === 501),
        '2-D: the surface and the path on it');
  const c = await traces(page, 'section-0-convergence');
  check(c.length === 2 && c.every((x) => x.n === 501), '2-D: value and gradient norm by iteration');
  await slideTo(page, 0, 40);
  const it = await traceData(page, 'section-0-map0', r.label + ' iterate');
  check(it.x[0] === r.path.x[0][40] && it.y[0] === r.path.x[1][40], '2-D: the slider moves the iterate to row 40');
  const it3 = await traceData(page, 'section-0-surface', r.label + ' iterate');
  check(it3.z[0] === r.path.value[40], '2-D: ... and on the surface');
  await fitsTheWidth(page, '2-D');
  await screenshot(page, 'run_2d');
  check(errors.length === 0, '2-D: no console errors ' + JSON.stringify(errors));
  await page.close();
}

// Comparison: five paths on one map, one shared slider, a table of five rows.
{
  console.log('compare');
  const { page, errors } = await open('compare');
  const names = ['gd', 'momentum', 'adagrad', 'rmsprop', 'adam'];
  const t = await traces(page, 'section-0-map0');
  for (const [i, name] of names.entries()) {
    const r = await run(page, 0, i);
    check(t.some((x) => x.name === name && x.n === r.path.iteration.length && x.n > 1),
          'compare: path of ' + name + ' (' + r.path.iteration.length + ' points)');
  }
  check(t.some((x) => x.name === 'direction of −∇f' && x.n > 400 * 3), 'compare: the gradient field');
  const steps = await page.evaluate(() => window.kobai.sections[0].steps);
  const k = await slideTo(page, 0, 25);
  for (const [i, name] of names.entries()) {
    const r = await run(page, 0, i);
    const row = r.path.iteration.filter((it) => it <= steps[k]).length - 1;
    const it = await traceData(page, 'section-0-map0', name + ' iterate');
    check(it.x[0] === r.path.x[0][row] && it.y[0] === r.path.x[1][row], 'compare: shared slider moves ' + name + ' to iteration ' + steps[k]);
  }
  const rows = await page.locator('#section-0 table.end tr').count();
  check(rows === names.length + 1, 'compare: the table has a row per optimizer');
  // All five stop at the limit still falling (gd at f = 0.039): the table says "descending", with why.
  const verdicts = await page.locator('#section-0 table.end span.verdict').allTextContents();
  check(verdicts.length === 5 && verdicts.every((v) => v === 'descending'), 'compare: every verdict is descending (' + verdicts + ')');
  const reason = await page.locator('#section-0 table.end span.verdict + .small').first().textContent();
  check(/still falling at the iteration limit/.test(reason), 'compare: the verdict gives its reason: "' + reason + '"');
  await fitsTheWidth(page, 'compare');
  await screenshot(page, 'compare');
  check(errors.length === 0, 'compare: no console errors ' + JSON.stringify(errors));
  await page.close();
}

// The comparison is live: rerun in the page with kobai's engine (report/live.mjs).
{
  console.log('compare: live');
  const { page, errors } = await open('compare', { drawAll: false });
  const fields = ['x', 'value', 'iterations', 'status', 'verdict', 'function_evaluations', 'gradient_evaluations'];
  const pick = (r) => Object.fromEntries(fields.map((k) => [k, r[k]]));
  const pathOf = (r) => JSON.stringify([r.path.iteration, r.path.x, r.path.value, r.path.gradient_norm]);
  const embedded = await page.evaluate(() => window.kobai.data.sections[0].runs.map((r) => JSON.parse(JSON.stringify(
    { ...r, drawX: undefined, drawY: undefined, drawF: undefined }))));
  // 1. what the page shows first is the command's own numbers
  const same = embedded.every((r, i) => JSON.stringify(pick(r)) === JSON.stringify(pick(compareJson.runs[i])));
  check(same && embedded.length === 5, 'live: the page\'s numbers are `kobai compare --json`\'s');
  // 2. a rerun with the command's settings computes the same bits, path included
  await page.click('#section-0-live summary');
  await page.waitForFunction(() => !document.getElementById('section-0-rerun').disabled, null, { timeout: 60000 });
  await page.click('#section-0-rerun');
  await page.waitForFunction(() => window.kobai.sections[0].reruns === 1, null, { timeout: 60000 });
  const again = await page.evaluate(() => window.kobai.data.sections[0].runs.map((r) => JSON.parse(JSON.stringify(
    { ...r, drawX: undefined, drawY: undefined, drawF: undefined, request: undefined }))));
  const identical = again.every((r, i) => JSON.stringify(pick(r)) === JSON.stringify(pick(embedded[i])) &&
    pathOf(r) === pathOf(embedded[i]) && r.verdict_reason === embedded[i].verdict_reason);
  check(identical, 'live: a rerun with unchanged settings reproduces the command\'s numbers bit for bit (5 runs, paths included)');
  // 3. a learning rate changed on its control: that run's path, table row and command change
  const adamTrace = () => traceData(page, 'section-0-map0', 'adam');
  const pathBefore = await adamTrace();
  const rowText = () => page.locator('#section-0 table.end tr').nth(5).textContent();
  const rowBefore = await rowText();
  await page.fill('#section-0-run-4-lr-value', '0.02');
  await page.press('#section-0-run-4-lr-value', 'Enter');  // a number box commits its value: change
  await page.waitForFunction(() => window.kobai.sections[0].reruns === 2, null, { timeout: 60000 });
  const adam = await run(page, 0, 4);
  const pathAfter = await adamTrace();
  const rowAfter = await rowText();
  check(pathAfter.x.length > 1 && JSON.stringify(pathAfter.x) !== JSON.stringify(pathBefore.x), 'live: lr 0.02 changes adam\'s path on the map');
  check(rowAfter !== rowBefore && rowAfter.includes('lr 0.02'), 'live: ... and its row of the table ("' + rowAfter.slice(0, 60) + '…")');
  const commandText = await page.locator('#section-0 pre.command').nth(4).textContent();
  check(/--lr 0\.02/.test(commandText), 'live: ... and the command that reproduces it: ' + commandText);
  const native = JSON.parse(sh(['run', '--function', 'beale', '--optimizer', 'adam', '--lr', '0.02', '--start', '1,1.5',
    '--iterations', '300', '--json']));
  check(JSON.stringify(adam.x) === JSON.stringify(native.x) && adam.value === native.value && adam.iterations === native.iterations,
    'live: the rerun equals `kobai run --optimizer adam --lr 0.02 --json` bit for bit (f = ' + adam.value + ')');
  const others = await page.evaluate(() => window.kobai.data.sections[0].runs.slice(0, 4).map((r) => r.x));
  check(others.every((x, i) => JSON.stringify(x) === JSON.stringify(embedded[i].x)), 'live: the other runs keep their numbers');
  // 4. a click on the map starts every run there
  await page.locator('#section-0-map0').scrollIntoViewIfNeeded();
  const box = await page.evaluate(() => {
    const gd = document.getElementById('section-0-map0'), s = gd._fullLayout._size, r = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    // the mouse lands on a whole pixel: two pixels' worth of tolerance
    return { x: r.left + s.l + 0.25 * s.w, y: r.top + s.t + 0.3 * s.h, want: [xa.p2l(0.25 * s.w), ya.p2l(0.3 * s.h)],
             tol: [2 * Math.abs(xa.p2l(1) - xa.p2l(0)), 2 * Math.abs(ya.p2l(1) - ya.p2l(0))] };
  });
  await page.mouse.click(box.x, box.y);
  await page.waitForFunction(() => window.kobai.sections[0].reruns === 3, null, { timeout: 60000 });
  const starts = await page.evaluate(() => window.kobai.data.sections[0].runs.map((r) => [r.path.x[0][0], r.path.x[1][0]]));
  check(starts.every(([x, y]) => Math.abs(x - box.want[0]) <= box.tol[0] && Math.abs(y - box.want[1]) <= box.tol[1]),
    'live: a click on the map at (' + box.want.map((v) => v.toFixed(3)) + ') starts every run there');
  await screenshot(page, 'compare_live');
  // 5. back to the command's runs
  await page.click('#section-0-reset');
  await page.waitForFunction(() => document.getElementById('section-0-live-status').textContent === 'the command\'s runs', null, { timeout: 60000 });
  const back = await page.evaluate(() => window.kobai.data.sections[0].runs.map((r) => r.x));
  check(back.every((x, i) => JSON.stringify(x) === JSON.stringify(embedded[i].x)), 'live: "the command\'s runs" brings them back');
  check(errors.length === 0, 'live: no console errors ' + JSON.stringify(errors));
  await page.close();
}

// Sweep: one panel per learning rate, labelled from the iterates (seed 002).
{
  console.log('sweep');
  const { page, errors } = await open('sweep');
  // After 30 steps lr 0.1 is still descending (f = 1.5e-4, falling 0.64× a step): not converged.
  const expected = ['descending', 'oscillating', 'oscillating', 'diverged'];
  for (const [i, verdict] of expected.entries()) {
    const r = await run(page, 0, i);
    check(r.verdict === verdict, 'sweep: ' + r.label + ' is ' + verdict + ' (got ' + r.verdict + ')');
    const title = await page.evaluate((id) => document.getElementById(id).layout.title.text, 'section-0-map' + i);
    check(title.includes(verdict), 'sweep: panel ' + i + ' says "' + title + '"');
    const t = await traces(page, 'section-0-map' + i);
    check(t.some((x) => x.name === r.label && x.n === 31), 'sweep: panel ' + i + ' draws 31 iterates');
  }
  await slideTo(page, 0, 7);
  const r1 = await run(page, 0, 1);
  const it = await traceData(page, 'section-0-map1', r1.label + ' iterate');
  check(it.x[0] === r1.path.x[0][7], 'sweep: the slider moves every panel');
  await fitsTheWidth(page, 'sweep');
  await screenshot(page, 'sweep');
  check(errors.length === 0, 'sweep: no console errors ' + JSON.stringify(errors));
  await page.close();
}

// The tour: every section drawn, no errors.
if (tourHasReport) {
  console.log('tour');
  const { page, errors } = await open('tour', { drawAll: false });
  // The width first, while only the first screen is drawn: resizing the window makes Plotly lay
  // out again every plot already drawn (tens of seconds for the tour's on a shared machine).
  await fitsTheWidth(page, 'tour');
  await page.evaluate(() => window.kobai.drawAll());
  const info = await page.evaluate(() => window.kobai.data.sections.map((s, i) => ({
    i, dimension: s.dimension, runs: s.runs.length,
    drawn: Array.from(document.querySelectorAll('#section-' + i + ' .js-plotly-plot')).length })));
  check(info.length >= 5, 'tour: ' + info.length + ' sections');
  check(info.every((s) => s.drawn >= 1), 'tour: every section has its plots');
  for (const s of info.filter((x) => x.dimension <= 2)) {
    const r = await run(page, s.i, 0);
    if (r.path.iteration.length < 3) continue;
    await slideTo(page, s.i, 2);
    const it = await traceData(page, 'section-' + s.i + '-map0', r.label + ' iterate');
    check(it && it.x[0] === r.path.x[0][2], 'tour: the slider of section ' + s.i + ' moves its iterate');
  }
  // Every run shows the command that repeats it; the one that replays seed code no command
  // expresses says so in that place.
  const commands = await page.evaluate(() => Array.from(document.querySelectorAll('pre.command')).map((p) => p.textContent));
  check(commands.length >= 25 && commands.every((c) => c.startsWith('kobai run ') || c.startsWith('(no kobai command: ')),
        'tour: every one of ' + commands.length + ' runs has its kobai run line (or says why there is none)');
  check(commands.filter((c) => c.startsWith('(no kobai command: ')).length === 1, 'tour: one run replays seed code');
  // Every live section run again with the command's settings: the same numbers (bit for bit where
  // the engine computes the problem as the command did; within 1e-12 relative where the tour's run
  // used a hand-written problem that its command line gives as an expression).
  const reruns = await page.evaluate(async () => {
    const flat = (r) => [r.x, r.value, r.iterations, r.path.iteration, r.path.x, r.path.value, r.path.gradient_norm].flat(Infinity);
    const out = [];
    for (const [i, s] of window.kobai.sections.entries()) {
      if (!s.rerun) continue;
      const before = s.section.runs.map((r) => ({ v: flat(r), status: r.status, verdict: r.verdict }));
      await s.rerun();
      s.section.runs.forEach((r, k) => {
        const a = flat(r), b = before[k].v;
        const worst = a.length !== b.length ? Infinity : Math.max(0, ...a.map((v, j) => (v === b[j] ? 0
          : typeof v === 'number' && typeof b[j] === 'number' ? Math.abs(v - b[j]) / Math.max(Math.abs(b[j]), 1e-300) : Infinity)));
        out.push({ i, same: worst === 0 && r.status === before[k].status && r.verdict === before[k].verdict, worst });
      });
    }
    return out;
  });
  const exact = reruns.filter((r) => r.same).length;
  check(reruns.length >= 15 && reruns.every((r) => r.worst <= 1e-12),
        'tour: ' + reruns.length + ' runs rerun in the page with unchanged settings: ' + exact + ' bit for bit, the rest within ' +
        Math.max(...reruns.map((r) => r.worst)).toExponential(1) + ' relative');
  await screenshot(page, 'tour');
  check(errors.length === 0, 'tour: no console errors ' + JSON.stringify(errors));
  await page.close();
} else {
  console.log('tour: kobai tour has no --report yet: skipped');
}

// The 1,000,000-iteration run: size beyond Plotly, thinned path, open time.
{
  console.log('1,000,000 iterations');
  const bundle = (pkg, f) => fs.statSync(path.join(here, '..', 'node_modules', pkg, f)).size;
  // the long run is 2-D, so its page embeds both of Plotly's bundles (plotly_asset.hpp)
  const plotly = bundle('plotly.js-cartesian-dist-min', 'plotly-cartesian.min.js') +
                 bundle('plotly.js-gl3d-dist-min', 'plotly-gl3d.min.js');
  const size = fs.statSync(file('long')).size;
  check(size - plotly < 5 * 1024 * 1024, 'long: ' + ((size - plotly) / 1024).toFixed(0) + ' KiB beyond Plotly (< 5 MiB)');
  const opens = [];
  const sliderMs = [];
  for (let i = 0; i < 5; ++i) {
    const { page, errors, openMs, timing } = await open('long', { drawAll: false });
    opens.push({ open_ms: openMs, ...timing });
    // the slider answers at once: one keyboard step moves the iterate on the drawn map
    const r = await run(page, 0, 0);
    const t0 = Date.now();
    const step = await slideTo(page, 0, 1);
    sliderMs.push(Date.now() - t0);
    const it = await traceData(page, 'section-0-map0', r.label + ' iterate');
    check(step === 1 && it.x[0] === r.path.x[0][1], 'long: the slider moves the iterate right after opening');
    if (i === 0) {
      check(r.iterations === 1000000 && r.path.iteration.length <= 2000 && r.path.iteration.at(-1) === 1000000,
            'long: the path is thinned to ' + r.path.iteration.length + ' drawn points, the last one kept');
      const note = await page.locator('#section-0 p.note').first().textContent();
      check(/thinned for drawing/.test(note), 'long: the page says the path is thinned: "' + note + '"');
      await screenshot(page, 'long');
    }
    check(errors.length === 0, 'long: no console errors ' + JSON.stringify(errors));
    await page.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const times = opens.map((o) => o.open_ms);
  const m = { report_bytes: size, plotly_bytes: plotly, beyond_plotly_bytes: size - plotly,
              open_ms: times, open_ms_median: median(times), open_ms_min: Math.min(...times), open_ms_max: Math.max(...times),
              slider_step_ms: sliderMs, opens: opens };
  fs.writeFileSync(path.join(out, 'measurements.json'), JSON.stringify(m, null, 2) + '\n');
  console.log('  measured: open ' + times.join(', ') + ' ms (median ' + m.open_ms_median + ' ms); Plotly loaded at ' +
              opens.map((o) => o.plotly_loaded_ms).join(', ') + ' ms, ready at ' + opens.map((o) => o.ready_ms).join(', ') +
              ' ms; slider step ' + sliderMs.join(', ') + ' ms; ' + (size / 1e6).toFixed(2) + ' MB, ' +
              ((size - plotly) / 1e3).toFixed(0) + ' kB beyond Plotly');
  // the median of five, so one open slowed by a neighbour on a shared machine does not decide
  check(m.open_ms_median < 2000, 'long: opens in under 2 s (median ' + m.open_ms_median + ' ms of ' + times.join(', ') + ')');
}

await browser.close();
fs.rmSync(profile, { recursive: true, force: true });
finish('; artifacts in ' + out);
