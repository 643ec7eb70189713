// Bundles the playground's modules (src/playground/main.mjs and its imports, src/playground/playground.css)
// into one script and one stylesheet for `kobai playground` to embed. Called by the CMake build:
//   node web/bundle.mjs OUT_DIR
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
await esbuild.build({
  entryPoints: [path.join(here, 'src/playground/main.mjs')],
  bundle: true, format: 'iife', minify: true, target: 'es2020', logLevel: 'warning',
  outfile: path.join(out, 'playground.js'),
});
await esbuild.build({
  entryPoints: [path.join(here, 'src/playground/playground.css')],
  bundle: true, minify: true, logLevel: 'warning', outfile: path.join(out, 'playground.css'),
});
