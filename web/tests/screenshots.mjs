// Makes the README's screenshots from kobai's own reports (run by scripts/screenshots.sh):
//   compare_beale.png  five optimizers on the contour map of Beale (seed 003's comparison)
//   tangent_1d.png     gradient descent on (5 − x)² with the tangent line at iteration 3 (seed 002)
//
//   node web/tests/screenshots.mjs --kobai build/bin/kobai --out docs/images
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, parseArguments } from './harness.mjs';

const { kobai, out, chromium: chromiumPath } = parseArguments({ out: 'docs/images' });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kobai-screenshots-'));
fs.mkdirSync(out, { recursive: true });
const sh = (argv) => execFileSync(kobai, argv, { stdio: ['ignore', 'ignore', 'inherit'] });

sh(['compare', '--function', 'beale', '--optimizers', 'gd,momentum,adagrad,rmsprop,adam', '--start', '1,1.5',
    '--iterations', '300', '--lr', 'gd=0.005,momentum=0.005,adagrad=0.5,rmsprop=0.05,adam=0.1',
    '--title', 'Five optimizers on Beale from (1, 1.5)', '--report', path.join(work, 'compare.html')]);
sh(['compare', '--function', 'quadratic1d', '--optimizers', 'gd', '--lr', '0.1', '--iterations', '30',
    '--tolerance', '0', '--title', 'Gradient descent on (5 − x)², lr 0.1', '--report', path.join(work, 'tangent.html')]);

const { browser } = await launchChromium(chromiumPath, work);
async function shoot(html, step, file, width) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: width, height: 900 });
  await page.goto('file://' + path.join(work, html));
  await page.waitForFunction(() => window.kobai && window.kobai.ready);
  await page.evaluate(() => window.kobai.drawAll());
  await page.evaluate((t) => window.kobai.sections[0].setStep(t), step);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  // the slider and the map, as a reader sees them
  const box = await page.evaluate(() => {
    const a = document.querySelector('#section-0 .controls').getBoundingClientRect();
    const b = document.getElementById('section-0-map0').getBoundingClientRect();
    return { x: Math.min(a.x, b.x), y: a.y, width: Math.max(a.right, b.right) - Math.min(a.x, b.x), height: b.bottom - a.y };
  });
  await page.screenshot({ path: path.join(out, file), clip: box });
  await page.close();
  console.log('wrote ' + path.join(out, file));
}
await shoot('compare.html', 60, 'compare_beale.png', 900);
await shoot('tangent.html', 3, 'tangent_1d.png', 760);
await browser.close();
fs.rmSync(work, { recursive: true, force: true });
