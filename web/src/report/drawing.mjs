// Drawing on demand. Only the plots on the first screen are drawn before the page says it is
// ready; the rest are drawn when they come near the viewport (a tour has dozens; a 3-D surface
// costs seconds in a browser without a GPU), so the page opens as fast as its first screen draws.
import { plotly3d } from './plots.mjs';

export const allPlots = [];
export const isSurface = (p) => p.name.endsWith(':surface');
// A browser keeps ~16 WebGL contexts and silently drops the oldest beyond that; Plotly's scene
// whose context was dropped then throws (a tour has 17 surfaces). So at most this many surfaces
// are drawn at a time: drawing one more purges the one drawn longest ago and releases its
// context; that one is drawn again when it comes back into view.
const maxLiveSurfaces = 8;
const liveSurfaces = [];
let nearbyObserver = null, surfaceObserver = null;  // set once the page is ready (observeTheRest)

function loseContexts(canvases) {
  canvases.forEach((canvas) => {
    const gl = canvas.getContext('webgl') || canvas.getContext('experimental-webgl');
    const lose = gl && gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
  });
}
function retire(plot) {
  const canvases = Array.from(plot.div.querySelectorAll('canvas'));
  plotly3d().purge(plot.div);
  loseContexts(canvases);
  plot.update = null;
  plot.drawn = null;
  if (surfaceObserver) surfaceObserver.observe(plot.div);
}
function drawNow(plot) {
  const t0 = performance.now();
  const drawing = plot.draw(plot.div, plot.section.rows(), plot.section.it());
  plot.update = drawing.update;
  window.kobai.timings.push([plot.name, performance.now() - t0]);
  return Promise.resolve(drawing.drawn);
}
// Draws `plot` once, at its section's current slider position; resolves when Plotly has drawn it.
// A surface retires the oldest ones first, each once its own drawing has finished (purging a
// plot that Plotly is still drawing breaks Plotly).
export function realize(plot) {
  if (plot.drawn) return plot.drawn;
  if (!isSurface(plot)) return (plot.drawn = drawNow(plot));
  const retiring = [];
  while (liveSurfaces.length >= maxLiveSurfaces) retiring.push(liveSurfaces.shift());
  liveSurfaces.push(plot);
  plot.drawn = Promise.all(retiring.map((old) => old.drawn.then(() => retire(old)))).then(() => drawNow(plot));
  return plot.drawn;
}

// Takes plots out of the page (a section redrawn after a rerun): each once its drawing is done.
export function forget(plots) {
  return Promise.all(plots.map((plot) => {
    const i = allPlots.indexOf(plot);
    if (i >= 0) allPlots.splice(i, 1);
    const j = liveSurfaces.indexOf(plot);
    if (j >= 0) liveSurfaces.splice(j, 1);
    if (nearbyObserver) nearbyObserver.unobserve(plot.div);
    if (surfaceObserver) surfaceObserver.unobserve(plot.div);
    const done = plot.drawn || Promise.resolve();
    return done.then(() => {
      if (!plot.div.data) return;
      if (isSurface(plot)) {
        const canvases = Array.from(plot.div.querySelectorAll('canvas'));
        plotly3d().purge(plot.div);
        loseContexts(canvases);
      } else Plotly.purge(plot.div);
    }, () => {});
  }));
}

// After the first screen: every plot not drawn yet is drawn when it comes near the viewport.
export function observeTheRest() {
  const later = allPlots.filter((p) => !p.drawn);
  if (!('IntersectionObserver' in window)) { later.forEach(realize); return; }
  const drawWhenSeen = (options) => {
    const observer = new IntersectionObserver((entries) => entries.forEach((e) => {
      if (!e.isIntersecting) return;
      observer.unobserve(e.target);
      const plot = allPlots.find((p) => p.div === e.target);
      if (plot) realize(plot);
    }), options);
    return observer;
  };
  nearbyObserver = drawWhenSeen({ rootMargin: '300px' });
  surfaceObserver = drawWhenSeen({ threshold: 0.25 });
  later.forEach((p) => (isSurface(p) ? surfaceObserver : nearbyObserver).observe(p.div));
}

// New plots after the page is ready (a rerun): drawn now if near the viewport, else when seen.
export function adopt(plots) {
  allPlots.push(...plots);
  if (!nearbyObserver) return;
  plots.forEach((p) => (isSurface(p) ? surfaceObserver : nearbyObserver).observe(p.div));
}
