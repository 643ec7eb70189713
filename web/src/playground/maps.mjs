// Long work in Web Workers: the basin-of-attraction map and the learning-rate map. Each worker runs
// its own copy of the engine (the engine's script text + workerMain, from a Blob), takes jobs one
// at a time, and answers with the engine's numbers; the page draws each answer as it comes
// (progressive) and can terminate every worker at once (cancel). The page never waits on them.
import { BASIN_COLORS, DIVERGED, NOT_CONVERGED, basinColor } from '../shared/basin_colors.mjs';

// The worker's whole program. It must not refer to anything outside itself: it is turned into text.
function workerMain() {
  let engine = null;
  const ready = createKobaiEngine().then((e) => { engine = e; });
  self.onmessage = async (event) => {
    await ready;
    const { job, request, starts, lrs, grid, first, count } = event.data;
    if (grid) {
      // a band of the basin map: classified in the engine by the library's rule (report/basin.hpp)
      const r = engine.basinCells(request, grid, first, count);
      if (r.error) { postMessage({ job, error: r.error }); return; }
      postMessage({ job, end: r.end, minimum: r.minimum, status: r.status, iterations: r.iterations, x: r.x, radius: r.radius, minima: r.minima },
                  [r.end.buffer, r.minimum.buffer, r.status.buffer, r.iterations.buffer, r.x.buffer]);
      return;
    }
    if (lrs) {
      // the learning-rate map: one run per lr from the same start
      const out = [];
      for (const lr of lrs) {
        const r = engine.runMany({ ...request, hyper: { ...request.hyper, lr } }, starts);
        out.push(r.error ? { lr, error: r.error } : { lr, value: r.values[0], status: r.status[0], iterations: r.iterations[0] });
      }
      postMessage({ job, lrs: out });
      return;
    }
    const r = engine.runMany(request, starts);
    if (r.error) { postMessage({ job, error: r.error }); return; }
    postMessage({ job, x: r.x, status: r.status, iterations: r.iterations, values: r.values },
                [r.x.buffer, r.status.buffer, r.iterations.buffer, r.values.buffer]);
  };
}

export function workerCount() {
  return Math.max(1, Math.min(8, (navigator.hardwareConcurrency || 2)));
}

// A pool of workers, each with its engine compiled and ready: the page starts one after it opens
// (WebAssembly compilation takes a few hundred ms per worker, which would otherwise delay the first
// picture of a map). run(jobs) hands out jobs one at a time to whichever worker is free and calls
// onResult(job index, answer) for each, onDone() at the end; cancel() terminates the workers (the
// pool starts fresh ones for the next run).
export class WorkerPool {
  constructor(engineSource, size = workerCount()) {
    this.size = size;
    const blob = new Blob([engineSource, '\n;(', workerMain.toString(), ')();\n'], { type: 'text/javascript' });
    this.url = URL.createObjectURL(blob);
    this.workers = [];
    this.spawn();
  }

  spawn() {
    this.workers = Array.from({ length: this.size }, () => new Worker(this.url));
  }

  run(jobs, { workers = this.size, onResult, onDone, onError }) {
    if (this.workers.length === 0) this.spawn();
    this.busy = true;
    let next = 0, finished = 0, cancelled = false;
    const used = this.workers.slice(0, Math.min(workers, jobs.length));
    const feed = (w) => {
      if (cancelled || next >= jobs.length) return;
      w.postMessage({ job: next, ...jobs[next] });
      next += 1;
    };
    for (const w of used) {
      w.onmessage = (event) => {
        if (cancelled) return;
        if (event.data.error && onError) onError(event.data.error);
        onResult(event.data.job, event.data);
        finished += 1;
        if (finished === jobs.length) { cancelled = true; this.busy = false; if (onDone) onDone(); } else feed(w);
      };
      w.onerror = (e) => { if (onError) onError(e.message || 'worker failed'); };
      feed(w);
    }
    return {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        this.busy = false;
        for (const w of this.workers) w.terminate();
        this.workers = [];
      },
    };
  }
}

// ---- the basin map -------------------------------------------------------------------------------
// The starts are `kobai basin`'s: an n × n grid spanning the box edge to edge (report::BasinGrid),
// start iy·n + ix at (x_ix, y_iy). A job is a band of `band` rows (one by default: the first
// picture waits for one job per worker, and a busy machine makes a job slow); the bands go out coarse first
// (every 8th, then every 4th, …) so that a first picture of the whole box comes early, and the
// picture fills in between (rows not computed yet are drawn from the nearest computed row).
export function basinJobs(request, box, n, band = 1) {
  const grid = { lower: box.lower.slice(), upper: box.upper.slice(), nx: n, ny: n };
  const bands = [];
  for (let j = 0; j < n; j += band) bands.push(j);
  const order = [];
  const taken = new Set();
  for (const stride of [8, 4, 2, 1])
    for (let b = 0; b < bands.length; b += stride) if (!taken.has(b)) { taken.add(b); order.push(b); }
  return order.map((b) => {
    const row0 = bands[b], rows = Math.min(band, n - row0);
    return { request, grid, first: row0 * n, count: rows * n, row0, rows };
  });
}


// The whole map as the engine's answers arrive: every start's end (0 a minimum, 1 diverged, 2 not
// converged), minimum index, status, iterations and end point, in grid order. The known minima
// and the radius come with the first answer. Found points follow report::add_found_points: a run
// that converged (by a tolerance) away from every known minimum ends at a "found" stationary
// point, grouped with the first earlier end within the radius. The rule is applied in start order
// when the map is complete (finish), so the classes equal `kobai basin`'s; while it fills in,
// found points are grouped in arrival order (the picture may recolour slightly at the end).
export class BasinMap {
  constructor(n, maxIterations) {
    this.n = n;
    this.maxIterations = maxIterations;
    const size = n * n;
    this.end = new Int8Array(size).fill(-1);   // −1: not computed yet
    this.minimum = new Int32Array(size).fill(-1);
    this.status = new Int8Array(size);
    this.iterations = new Float64Array(size);
    this.x = new Float64Array(2 * size);
    this.rowDone = new Uint8Array(n);
    this.minima = null;   // [[x, y], …]: known ones, then found ones
    this.known = 0;
    this.radius = 0;
    this.image = new ImageData(n, n);
  }

  add(job, answer) {
    if (this.minima === null) {
      this.minima = answer.minima.map((m) => Array.from(m));
      this.known = this.minima.length;
      this.radius = answer.radius;
    }
    for (let k = 0; k < job.count; ++k) {
      const i = job.first + k;
      this.end[i] = answer.end[k];
      this.minimum[i] = answer.minimum[k];
      this.status[i] = answer.status[k];
      this.iterations[i] = answer.iterations[k];
      this.x[2 * i] = answer.x[2 * k];
      this.x[2 * i + 1] = answer.x[2 * k + 1];
      if (this.end[i] === 2 && this.status[i] === 0) this.minimum[i] = this.found(i);
      this.paint(i);
    }
    for (let r = 0; r < job.rows; ++r) this.rowDone[job.row0 + r] = 1;
  }

  // The found point cell i ends at (add_found_points), appended when new.
  found(i) {
    const x = this.x[2 * i], y = this.x[2 * i + 1];
    for (let k = this.known; k < this.minima.length; ++k)
      if (Math.hypot(this.minima[k][0] - x, this.minima[k][1] - y) <= this.radius) return k;
    this.minima.push([x, y]);
    return this.minima.length - 1;
  }

  // Once every start is in: found points regrouped in start order, every pixel repainted.
  finish() {
    this.minima = this.minima ? this.minima.slice(0, this.known) : [];
    for (let i = 0; i < this.end.length; ++i) {
      if (this.end[i] === 2 && this.status[i] === 0) this.minimum[i] = this.found(i);
      this.paint(i);
    }
  }

  colorOf(i) {
    const end = this.end[i];
    if (end === 1) return DIVERGED;
    const m = this.minimum[i];
    if (m < 0) return NOT_CONVERGED;
    const base = BASIN_COLORS[m % BASIN_COLORS.length];
    // lighter = fewer iterations
    const t = Math.min(1, Math.log1p(this.iterations[i]) / Math.log1p(this.maxIterations));
    const light = 0.55 * (1 - t);
    return base.map((c) => Math.round(c + (255 - c) * light));
  }

  // Start i = iy·n + ix is the pixel (ix, n − 1 − iy): row 0 of the image is the box's top.
  paint(i) {
    const n = this.n, ix = i % n, iy = (i - ix) / n;
    const rgb = this.colorOf(i);
    const p = ((n - 1 - iy) * n + ix) * 4;
    const d = this.image.data;
    d[p] = rgb[0]; d[p + 1] = rgb[1]; d[p + 2] = rgb[2]; d[p + 3] = 255;
  }

  // The image to draw now: rows not computed yet copied from the nearest computed row.
  preview() {
    const n = this.n;
    if (this.rowDone.every((v) => v === 1)) return this.image;
    const done = [];
    for (let r = 0; r < n; ++r) if (this.rowDone[r]) done.push(r);
    if (done.length === 0) return this.image;
    const out = new ImageData(new Uint8ClampedArray(this.image.data), n, n);
    let j = 0;
    for (let r = 0; r < n; ++r) {
      if (this.rowDone[r]) continue;
      while (j + 1 < done.length && Math.abs(done[j + 1] - r) <= Math.abs(done[j] - r)) ++j;
      const src = (n - 1 - done[j]) * n * 4, dst = (n - 1 - r) * n * 4;
      out.data.set(this.image.data.subarray(src, src + n * 4), dst);
    }
    return out;
  }

  // Starts per class: counts[k] for minimum k, and diverged / not converged.
  counts() {
    const perMinimum = (this.minima || []).map(() => 0);
    let diverged = 0, notConverged = 0, done = 0;
    for (let i = 0; i < this.end.length; ++i) {
      if (this.end[i] < 0) continue;
      done += 1;
      if (this.end[i] === 1) diverged += 1;
      else if (this.minimum[i] >= 0) perMinimum[this.minimum[i]] += 1;
      else notConverged += 1;
    }
    return { perMinimum, diverged, notConverged, done };
  }
}

export { basinColor };

// ---- the learning-rate map -----------------------------------------------------------------------
export function lrJobs(request, start, lo, hi, count, chunk = 8) {
  const lrs = [];
  for (let i = 0; i < count; ++i) lrs.push(lo * Math.pow(hi / lo, i / (count - 1)));
  const jobs = [];
  for (let i = 0; i < lrs.length; i += chunk)
    jobs.push({ request, starts: new Float64Array(start), lrs: lrs.slice(i, i + chunk) });
  return jobs;
}
