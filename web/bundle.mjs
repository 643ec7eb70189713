// Bundles the pages' modules into one script and one stylesheet each, for kobai to embed:
//   playground.js/.css  src/playground/main.mjs and its imports, src/playground/playground.css
//                       (`kobai playground`, playground_page.hpp)
//   report.js/.css      src/report/report.mjs and its imports, src/report/report.css
//                       (the run / compare / sweep / tour reports, html_writer.hpp)
//   basin.js/.css       src/basin/basin.mjs, src/basin/basin.css (`kobai basin --report`, basin_page.hpp)
//   training.js/.css    src/training/training.mjs, src/training/training.css (`kobai train --report`,
//                       training_page.hpp)
// They import the drawing and colours they share from src/shared/ (and the pages' css the reports'
// report.css). Called by the CMake build:
//   node web/bundle.mjs OUT_DIR
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
for (const page of ['playground', 'report', 'basin', 'training']) {
  await esbuild.build({
    entryPoints: [path.join(here, 'src', page, page === 'playground' ? 'main.mjs' : page + '.mjs')],
    bundle: true, format: 'iife', minify: true, target: 'es2020', logLevel: 'warning',
    outfile: path.join(out, page + '.js'),
  });
  await esbuild.build({
    entryPoints: [path.join(here, 'src', page, page + '.css')],
    bundle: true, minify: true, logLevel: 'warning', outfile: path.join(out, page + '.css'),
  });
}
