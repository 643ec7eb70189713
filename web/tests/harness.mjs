// What kobai's browser scripts share (the *.spec.mjs tests and the README's screenshots): their
// command line, the headless chromium they drive (Debian's, through playwright-core), a page's
// errors, and the counted checks with the exit status that reports them.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

// The command line's `--name value` pairs; kobai, out and chromium are resolved (kobai and out
// to absolute paths, chromium from --chromium, $KOBAI_CHROMIUM or Debian's /usr/bin/chromium).
export function parseArguments({ out: defaultOut }) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
    (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
  return {
    ...args,
    kobai: path.resolve(args.kobai || 'build/bin/kobai'),
    out: path.resolve(args.out || defaultOut),
    chromium: args.chromium || process.env.KOBAI_CHROMIUM || '/usr/bin/chromium',
  };
}

// Chromium headless with a fresh profile made in `profileParent` (Playwright takes a profile
// folder as launchPersistentContext's first argument), no GPU, nothing fetched in the background.
// `options` go to Playwright (viewport, acceptDownloads, ...). Returns { browser, profile }.
export async function launchChromium(executablePath, profileParent, options = {}) {
  const profile = fs.mkdtempSync(path.join(profileParent, 'profile-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    ...options,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { browser, profile };
}

// Appends to `errors` the page's console errors, its uncaught exceptions and every request for
// anything but the page's own file and data (`local`: the URL schemes that count as its own).
export function recordErrors(page, errors, local = ['file:', 'data:']) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push('uncaught: ' + e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (!local.some((scheme) => url.startsWith(scheme))) errors.push('network request: ' + url);
  });
}

// check(ok, what) prints one line per check and remembers the failures; finish() prints the
// outcome and exits with status 1 when a check failed, 0 otherwise.
export function checks() {
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
    console.log((ok ? '  ok    ' : '  FAIL  ') + what);
  };
  const finish = (passedNote = '') => {
    if (failures.length) {
      console.log('\n' + failures.length + ' check(s) failed');
      process.exit(1);
    }
    console.log('\nall checks passed' + passedNote);
    process.exit(0);
  };
  return { check, failures, finish };
}
