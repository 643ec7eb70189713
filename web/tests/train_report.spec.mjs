// Browser test of `kobai train --report` (issue 11): Playwright (playwright-core) driving Debian's
// chromium headless.
//
//   node web/tests/train_report.spec.mjs --kobai build/bin/kobai --out build/browser-artifacts
//
// Trains 2 optimizers briefly on a few hundred bundled digits (well under a second), opens the
// page and checks: no console errors and no network requests; the four curve plots (training and
// test loss and accuracy) each with one trace per optimizer and one point per evaluation; a 10×10
// confusion matrix per optimizer whose cells sum to the test-set size; misclassified digits drawn
// on canvases that are not blank. A screenshot goes to --out. Exit status 0 when every check passed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checks, launchChromium, parseArguments, recordErrors } from './harness.mjs';

const { kobai, out, chromium: chromiumPath } = parseArguments({ out: 'browser-artifacts' });
fs.mkdirSync(out, { recursive: true });

const { check, finish } = checks();

const file = path.join(out, 'train_report.html');
const testCount = 200, epochs = 2, optimizers = ['gd', 'adam'];
const printed = JSON.parse(execFileSync(kobai, ['train', '--optimizers', optimizers.join(','), '--train-size', '300',
  '--test-size', String(testCount), '--epochs', String(epochs), '--batch-size', '50', '--json', '--report', file],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
check(printed.report === file, 'kobai train --json names the report it wrote');
const rows = printed.runs[0].history.length;

const { browser, profile } = await launchChromium(chromiumPath, out, { viewport: { width: 1280, height: 900 } });
try {
  const page = await browser.newPage();
  const errors = [];
  recordErrors(page, errors);
  await page.goto('file://' + file);
  await page.waitForFunction(() => window.kobaiReady === true, null, { timeout: 30000 });

  for (const id of ['kobai-train-loss', 'kobai-test-loss', 'kobai-train-accuracy', 'kobai-test-accuracy']) {
    const traces = await page.evaluate((id) => (document.getElementById(id).data || [])
      .map((t) => ({ name: t.name, points: t.y.filter((v) => v !== null).length })), id);
    check(traces.length === optimizers.length && traces.every((t, k) => t.name === optimizers[k]),
      `${id}: one trace per optimizer (${traces.map((t) => t.name).join(', ')})`);
    check(traces.every((t) => t.points === rows), `${id}: ${rows} points per trace (${traces.map((t) => t.points)})`);
    check(await page.locator('#' + id + ' .scatterlayer .trace').count() === optimizers.length, `${id}: drawn`);
  }

  const matrices = await page.evaluate(() => [...document.querySelectorAll('#kobai-confusion .kobai-confusion-matrix')]
    .map((div) => div.data[0].z));
  check(matrices.length === optimizers.length, `a confusion matrix per optimizer (${matrices.length})`);
  matrices.forEach((z, k) => {
    const cells = z.flat();
    const total = cells.reduce((a, b) => a + b, 0);
    check(z.length === 10 && z.every((row) => row.length === 10), `${optimizers[k]}: the matrix is 10 × 10`);
    check(total === testCount, `${optimizers[k]}: its cells sum to the ${testCount} test digits (${total})`);
    const diagonal = z.reduce((s, row, i) => s + row[i], 0);
    const accuracy = printed.runs[k].test_accuracy;
    check(Math.abs(diagonal / testCount - accuracy) < 1e-9,
      `${optimizers[k]}: its diagonal is the printed test accuracy (${diagonal}/${testCount} vs ${accuracy})`);
  });
  check(await page.locator('#kobai-confusion .heatmaplayer').count() === optimizers.length, 'the heatmaps are drawn');

  const images = await page.evaluate(() => [...document.querySelectorAll('#kobai-misclassified canvas')].map((c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < pixels.length; i += 4) ink += pixels[i] < 128;
    return { width: c.width, height: c.height, ink, shown: c.getBoundingClientRect().width };
  }));
  const best = Math.max(...printed.runs.map((r) => r.test_accuracy));
  const wrong = Math.round((1 - best) * testCount);
  check(images.length === Math.min(48, wrong), `${images.length} misclassified digits drawn (the best run gets ${wrong} wrong)`);
  check(images.every((i) => i.width === 28 && i.height === 28 && i.shown > 0), 'each is 28 × 28 and on screen');
  check(images.every((i) => i.ink > 20 && i.ink < 28 * 28 - 20), 'each shows a stroke (neither blank nor all ink)');
  const captions = await page.locator('#kobai-misclassified figcaption').allTextContents();
  check(captions.length === images.length && captions.every((c) => /^#\d+: (\d) → (?!\1)\d$/.test(c)),
    'each is captioned true → predicted, and they differ');
  check((await page.locator('code').last().textContent()).startsWith('kobai train --optimizers'),
    'the page shows the command that makes it');
  await page.screenshot({ path: path.join(out, 'train_report.png'), fullPage: true });
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join('; ') : ''));
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
finish();
