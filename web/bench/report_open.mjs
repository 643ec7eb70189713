// How fast report pages open in headless Chromium, and how big they are: a before/after measure.
//
//   node web/bench/report_open.mjs PAGE.html [PAGE2.html …] [--opens 5] [--chromium /usr/bin/chromium]
//
// For each page: its size, and over --opens fresh opens (median, min, max) the time from before
// navigation to the page's own `ready` (report.mjs: the first screen's plots drawn and painted)
// and to `first-contentful-paint`, and (pages with settings) to the first rerun button enabled —
// kobai's engine started, after the opening. Pages written by different kobai builds (for example one
// without the embedded engine and one with it) can be given side by side, each measured in the
// same browser, one open after the other in turn, so a busy neighbour slows both alike.
// Prints a table; asserts nothing (benchmarks are not tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const option = (name, fallback) => { const i = argv.indexOf('--' + name); return i >= 0 ? argv[i + 1] : fallback; };
const opens = Number(option('opens', 5));
const chromiumPath = option('chromium', '/usr/bin/chromium');
const pages = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--'))).map((p) => path.resolve(p));
if (!pages.length) { console.error('usage: node web/bench/report_open.mjs PAGE.html [PAGE2.html …] [--opens N]'); process.exit(2); }

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kobai-open-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath, headless: true, viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const times = new Map(pages.map((p) => [p, { ready: [], fcp: [], live: [] }]));
for (let k = 0; k < opens; ++k) {
  for (const file of pages) {
    const page = await browser.newPage();
    const t0 = Date.now();
    await page.goto('file://' + file);
    await page.waitForFunction(() => window.kobai && window.kobai.ready, null, { timeout: 120000 });
    const ready = Date.now() - t0;
    const live = await page.waitForFunction(() => !document.querySelector('button.rerun') ||
      document.querySelector('button.rerun:not([disabled])'), null, { timeout: 120000 })
      .then(() => page.evaluate(() => !!document.querySelector('button.rerun'))).then((has) => (has ? Date.now() - t0 : null));
    times.get(file).live.push(live);
    const fcp = await page.evaluate(() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; });
    times.get(file).ready.push(ready);
    times.get(file).fcp.push(Math.round(fcp));
    await page.close();
  }
}
await browser.close();
fs.rmSync(profile, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('page'.padEnd(48) + 'size (MB)  ready ms: median [min, max]   first paint ms: median   settings live ms: median');
for (const file of pages) {
  const t = times.get(file);
  const name = (path.basename(path.dirname(file)) + '/' + path.basename(file)).padEnd(48);
  console.log(name + (fs.statSync(file).size / 1e6).toFixed(2).padStart(9) + '  ' +
    String(median(t.ready)).padStart(8) + ' [' + Math.min(...t.ready) + ', ' + Math.max(...t.ready) + ']' +
    String(median(t.fcp)).padStart(20) + String(t.live[0] === null ? '—' : median(t.live)).padStart(25));
}
