// The README's picture of the playground (run by scripts/screenshots.sh):
//   playground.png   five optimizers on Beale, mid-run, as the page opens at 1280 × 820
//
//   node web/tests/playground_screenshot.mjs --kobai build/bin/kobai --out docs/images
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, parseArguments } from './harness.mjs';

const { kobai, out, chromium: chromiumPath } = parseArguments({ out: 'docs/images' });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kobai-playground-shot-'));
execFileSync(kobai, ['playground', path.join(work, 'playground.html')]);
const { browser } = await launchChromium(chromiumPath, work, { viewport: { width: 1280, height: 820 } });
const page = await browser.newPage();
await page.goto('file://' + path.join(work, 'playground.html'));
await page.waitForFunction(() => window.kobai && window.kobai.ready);
await page.selectOption('#preset-select', 'beale-five-optimizers');
await page.evaluate(() => window.kobai.app.moveSlider(120));
await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
await page.screenshot({ path: path.join(out, 'playground.png') });
await browser.close();
fs.rmSync(work, { recursive: true, force: true });
console.log('wrote ' + path.join(out, 'playground.png'));
