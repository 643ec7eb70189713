// Numbers for people, shared by the playground's views and (later) the reports.

// Shortest text that reads back to the same double, as `kobai` prints it ("0.1", "2.999999999256501").
export function exact(v) {
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

// A short form for tables and labels: 6 significant digits, exponent form outside [1e-4, 1e6).
export function short(v, digits = 6) {
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return exact(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(digits)));
  return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

export function point(values, digits = 6) {
  return '(' + Array.from(values, (v) => short(v, digits)).join(', ') + ')';
}

// Characters that a shell would read differently get single quotes (like kobai's shell_word).
export function shellWord(word) {
  if (word !== '' && /^[A-Za-z0-9\-_.,:=+/]+$/.test(word)) return word;
  return "'" + word.replace(/'/g, "'\\''") + "'";
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
