// A few helpers for building the page's controls without a framework.
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'value' || k === 'selected') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of [].concat(children)) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

// A learning-rate style control: a log-scale slider and a number box that agree.
export function logControl({ id, value, min, max, onChange }) {
  const toSlider = (v) => (Math.log10(Math.max(min, Math.min(max, v))) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) * 1000;
  const fromSlider = (s) => Number(Math.pow(10, Math.log10(min) + (s / 1000) * (Math.log10(max) - Math.log10(min))).toPrecision(3));
  const box = el('input', { type: 'number', id: id + '-value', value: String(value), step: 'any', class: 'num' });
  const slider = el('input', { type: 'range', id, min: 0, max: 1000, step: 1, value: String(toSlider(value)), class: 'log-slider' });
  slider.addEventListener('input', () => { const v = fromSlider(Number(slider.value)); box.value = String(v); onChange(v, false); });
  slider.addEventListener('change', () => onChange(Number(box.value), true));
  box.addEventListener('change', () => {
    const v = Number(box.value);
    if (Number.isFinite(v) && v > 0) { slider.value = String(toSlider(v)); onChange(v, true); }
  });
  return el('span', { class: 'log-control' }, [slider, box]);
}
