// The colours and names of lstm_viz's figures (lstm_viz/draw/_style.py), so the live
// explainers look like the rest of the book; a test checks the two agree.
export const STEP_COLOURS = { 1: '#d1495b', 2: '#2a9d8f', 3: '#e9a23b', 4: '#5a7bd8' };
export const STEP_NAMES = { 1: 'forget', 2: 'input', 3: 'update', 4: 'output' };
export const INACTIVE = '#b8b8b8';
export const INK = '#222222';
export const BODY = '#f4f1ea';
// Gradient-curve colours of the ch09 figure: the plain RNN red, the LSTM blue.
export const RNN_COLOUR = '#c0392b';
export const LSTM_COLOUR = '#1f618d';

// Anchors of matplotlib's "Purples" (gates, 0 shut .. 1 open) and "RdBu_r" (values,
// blue negative, white zero, red positive), interpolated linearly.
const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
const PURPLES = ['#fcfbfd', '#dadaeb', '#9e9ac8', '#6a51a3', '#3f007d'].map(rgb);
const RDBU_R = ['#053061', '#4393c3', '#f7f7f7', '#d6604d', '#67001f'].map(rgb);

function ramp(anchors, t) {
  const s = (Number.isNaN(t) ? 0.5 : Math.min(Math.max(t, 0), 1)) * (anchors.length - 1);
  const k = Math.min(Math.floor(s), anchors.length - 2), u = s - k;
  const a = anchors[k], b = anchors[k + 1];
  return [0, 1, 2].map((j) => Math.round(a[j] + (b[j] - a[j]) * u));
}

/** [r, g, b]: a gate's colour (value in [0, 1]) or a signed value's (limit L: −L blue, +L red). */
export function colourRgb(value, kind, limit = 1) {
  return kind === 'gate' ? ramp(PURPLES, value) : ramp(RDBU_R, 0.5 + value / (2 * limit));
}

/** {fill, ink}: the colour of colourRgb as CSS, and a text colour that reads on it. */
export function colourFor(value, kind, limit = 1) {
  const c = colourRgb(value, kind, limit);
  const light = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150;
  return { fill: `rgb(${c.join(',')})`, ink: light ? INK : '#ffffff' };
}

/** A value short enough for a cell, as lstm_viz's fmt: two decimals, or compact when large. */
export function fmt(v) {
  if (Number.isNaN(v)) return 'nan';
  const a = Math.abs(v);
  if (a >= 100) return v.toExponential(0).replace(/e([+-])(\d)$/, 'e$10$2');
  if (a >= 10) return v.toFixed(0);
  return v.toFixed(2);
}
