// Long work in Web Workers: the basin-of-attraction map and the learning-rate map. Each worker runs
// its own copy of the engine (the engine's script text + workerMain, from a Blob), takes jobs one
// at a time, and answers with the engine's numbers; the page draws each answer as it comes
// (progressive) and can terminate every worker at once (cancel). The page never waits on them.

// The worker's whole program. It must not refer to anything outside itself: it is turned into text.
function workerMain() {
  let engine = null;
  const ready = createKobaiEngine().then((e) => { engine = e; });
  self.onmessage = async (event) => {
    await ready;
    const { job, request, starts, lrs } = event.data;
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
// Starts on an n × n grid over the box, rows of `band` per job, in an order that covers the whole
// box coarsely first (every 8th band, then the ones between), so the first picture comes early.
export function basinJobs(request, box, n, band = 2) {
  const bands = [];
  for (let j = 0; j < n; j += band) bands.push(j);
  const order = [];
  for (const stride of [8, 4, 2, 1])
    for (let b = 0; b < bands.length; b += stride) if (!order.includes(b)) order.push(b);
  return order.map((b) => {
    const row0 = bands[b], rows = Math.min(band, n - row0);
    const starts = new Float64Array(rows * n * 2);
    for (let r = 0; r < rows; ++r)
      for (let i = 0; i < n; ++i) {
        starts[(r * n + i) * 2] = box.lower[0] + ((i + 0.5) * (box.upper[0] - box.lower[0])) / n;
        starts[(r * n + i) * 2 + 1] = box.lower[1] + ((row0 + r + 0.5) * (box.upper[1] - box.lower[1])) / n;
      }
    return { request, starts, row0, rows };
  });
}

const BASIN_COLORS = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14], [23, 190, 207],
  [140, 86, 75], [227, 119, 194], [188, 189, 34], [127, 127, 127]];

// Which minimum each final point belongs to: the nearest known minimizer within `radius`, else a new
// class per cluster of final points (functions typed as text know no minima).
export class BasinClassifier {
  constructor(minimizers, radius) {
    this.centers = minimizers.map((m) => Array.from(m));
    this.radius = radius;
    this.counts = this.centers.map(() => 0);
  }
  classify(x, y) {
    let best = -1, bestD = Infinity;
    this.centers.forEach((c, k) => {
      const d = Math.hypot(x - c[0], y - c[1]);
      if (d < bestD) { bestD = d; best = k; }
    });
    if (best >= 0 && bestD <= this.radius) { this.counts[best] += 1; return best; }
    if (this.centers.length >= BASIN_COLORS.length) return -1;
    this.centers.push([x, y]);
    this.counts.push(1);
    return this.centers.length - 1;
  }
}

// Colours one answer's pixels into `image` (ImageData of n × n, row 0 at the top = the box's top).
// status: 0 converged, 1 iteration limit, 2 diverged. Shade: lighter = fewer iterations.
export function paintBasin(image, n, job, answer, classifier, maxIterations) {
  const counts = { diverged: 0, not_converged: 0 };
  for (let r = 0; r < job.rows; ++r)
    for (let i = 0; i < n; ++i) {
      const k = r * n + i;
      const status = answer.status[k];
      let rgb;
      if (status === 2) { rgb = [0, 0, 0]; counts.diverged += 1; } else {
        const cls = status === 0 ? classifier.classify(answer.x[2 * k], answer.x[2 * k + 1]) : -1;
        if (cls < 0) { rgb = [190, 190, 190]; counts.not_converged += 1; } else {
          const base = BASIN_COLORS[cls % BASIN_COLORS.length];
          const t = Math.min(1, Math.log1p(answer.iterations[k]) / Math.log1p(maxIterations));
          const light = 0.55 * (1 - t);  // fast → light, slow → full colour
          rgb = base.map((c) => Math.round(c + (255 - c) * light));
        }
      }
      const row = n - 1 - (job.row0 + r);
      const p = (row * n + i) * 4;
      image.data[p] = rgb[0]; image.data[p + 1] = rgb[1]; image.data[p + 2] = rgb[2]; image.data[p + 3] = 255;
    }
  return counts;
}

export function basinColor(cls) {
  const c = BASIN_COLORS[cls % BASIN_COLORS.length];
  return 'rgb(' + c.join(',') + ')';
}

// ---- the learning-rate map -----------------------------------------------------------------------
export function lrJobs(request, start, lo, hi, count, chunk = 8) {
  const lrs = [];
  for (let i = 0; i < count; ++i) lrs.push(lo * Math.pow(hi / lo, i / (count - 1)));
  const jobs = [];
  for (let i = 0; i < lrs.length; i += chunk)
    jobs.push({ request, starts: new Float64Array(start), lrs: lrs.slice(i, i + chunk) });
  return jobs;
}
