// Rows of a run's history: which one the iteration slider shows, and which are drawn.

// The last row whose iteration is <= `iteration` (the first row when all are later; -1 when there
// are none). `iterations`: increasing iteration numbers (an array or a Float64Array).
export function rowAt(iterations, iteration) {
  let lo = 0, hi = iterations.length - 1;
  if (hi < 0) return -1;
  if (iteration >= iterations[hi]) return hi;
  if (iterations[0] > iteration) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (iterations[mid] <= iteration) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// Evenly spaced rows of a history of `rows` rows, at most `maxPoints`, the first and the last
// always among them: the same rows as the report writer's thinned_rows (html_writer.hpp), so a
// path recomputed in the page is drawn from the same rows as the one the command wrote.
export function thinnedRows(rows, maxPoints) {
  const picked = [];
  if (rows === 0) return picked;
  const max = Math.max(maxPoints, 2);
  if (rows <= max) {
    for (let k = 0; k < rows; ++k) picked.push(k);
    return picked;
  }
  for (let j = 0; j < max; ++j) {
    const k = Math.round((j * (rows - 1)) / (max - 1));
    if (picked.length === 0 || k !== picked[picked.length - 1]) picked.push(k);
  }
  return picked;
}

// The slider's positions for several runs: the union of their drawn iterations, at most `cap`
// of them evenly picked (so runs with different strides stay in step).
export function timeline(iterationLists, cap) {
  const all = new Set();
  iterationLists.forEach((its) => its.forEach((it) => all.add(it)));
  let steps = Array.from(all).sort((a, b) => a - b);
  const max = Math.max(2, cap);
  if (steps.length > max) {
    const picked = [];
    for (let j = 0; j < max; ++j) picked.push(steps[Math.round((j * (steps.length - 1)) / (max - 1))]);
    steps = picked;
  }
  return steps.length ? steps : [0];
}
