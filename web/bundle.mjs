// Bundles the pages' modules into one script and one stylesheet each, for kobai to embed:
//   playground.js/.css  src/playground/main.mjs and its imports, src/playground/playground.css
//                       (`kobai playground`, playground_page.hpp)
//   report.js/.css      src/report/report.mjs and its imports, src/report/report.css
//                       (every report page, html_writer.hpp; the basin and training pages use the css)
// Both import the drawing they share from src/shared/. Called by the CMake build:
//   node web/bundle.mjs OUT_DIR
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
for (const page of ['playground', 'report']) {
  await esbuild.build({
    entryPoints: [path.join(here, 'src', page, page === 'playground' ? 'main.mjs' : 'report.mjs')],
    bundle: true, format: 'iife', minify: true, target: 'es2020', logLevel: 'warning',
    outfile: path.join(out, page + '.js'),
  });
  await esbuild.build({
    entryPoints: [path.join(here, 'src', page, page + '.css')],
    bundle: true, minify: true, logLevel: 'warning', outfile: path.join(out, page + '.css'),
  });
}
