// Chapter 3, a gate: drag each unit's pre-activation z and watch σ(z) open and
// close; the pointwise product σ(z) ⊙ v lets the vector v through, or not.
import * as M from './math.js';
import { colourLimit, el } from './ui.js';
import { INK, STEP_COLOURS } from './style.js';

const W = 300, PLOT_H = 120, Z_MAX = 6;
const px = (z) => 20 + ((z + Z_MAX) / (2 * Z_MAX)) * (W - 40);
const py = (s) => 10 + (1 - s) * (PLOT_H - 20);

function curve(svg, label) {
  el('svg:line', { x1: px(-Z_MAX), y1: py(0), x2: px(Z_MAX), y2: py(0), stroke: '#999' }, svg);
  el('svg:line', { x1: px(0), y1: py(0), x2: px(0), y2: py(1), stroke: '#ccc' }, svg);
  const pts = [];
  for (let k = 0; k <= 120; k++) {
    const z = -Z_MAX + (k / 120) * 2 * Z_MAX;
    pts.push(`${px(z).toFixed(1)},${py(M.sigmoid(z)).toFixed(1)}`);
  }
  el('svg:polyline', { points: pts.join(' '), fill: 'none', stroke: INK, 'stroke-width': 1.5 }, svg);
  for (const [s, text] of [[0, '0 shut'], [1, '1 open']]) el('svg:text', { x: 2, y: py(s) + 3, 'font-size': 8 }, svg, text);
  el('svg:text', { x: W - 4, y: py(0) + 12, 'font-size': 9, 'text-anchor': 'end' }, svg, 'z');
  el('svg:text', { x: px(0) + 4, y: 12, 'font-size': 9 }, svg, label);
}

export const gate = {
  kind: 'gate',
  defaults: () => ({ z: [[-3, 0, 3]], v: [[0.8, -0.5, 1.2]] }),
  compute: (s) => {
    const g = M.map(s.z, M.sigmoid);
    return { gate: g, gated: M.zip(g, s.v, (a, b) => a * b) };
  },
  build(view) {
    const controls = view.section(view.t('inputs'), view.body, 'gbg-inputs');
    const z = view.inputs.z[0];
    const sliders = z.map((_, k) => {
      const box = el('label', { class: 'gbg-control gbg-slider-control' }, controls);
      el('span', { class: 'gbg-label' }, box, `${view.t('preactivation')}${'₁₂₃₄₅₆₇₈₉'[k]}`);
      const input = el('input', { type: 'range', min: -Z_MAX, max: Z_MAX, step: 0.1, class: 'gbg-slider', 'data-input': 'z', 'data-index': `0,${k}`, 'aria-label': `z ${k + 1}` }, box);
      const readout = el('output', { class: 'gbg-readout' }, box);
      input.addEventListener('input', () => {
        const next = view.inputs.z.map((row) => row.slice());
        next[0][k] = Number(input.value);
        view.change({ z: next });
      });
      return { input, readout };
    });
    view.bind((s) => sliders.forEach(({ input, readout }, k) => {
      if (Number(input.value) !== s.z[0][k]) input.value = String(s.z[0][k]);
      readout.textContent = String(s.z[0][k]);
    }));
    view.numberGrid('v', view.t('vector'), controls);

    const out = view.section(view.t('outputs'), view.body, 'gbg-outputs');
    const svg = el('svg:svg', { viewBox: `0 0 ${W} ${PLOT_H}`, class: 'gbg-plot', role: 'img', 'aria-label': 'σ(z)' }, out);
    curve(svg, 'σ(z)');
    const dots = z.map(() => el('svg:circle', { r: 5, fill: STEP_COLOURS[2], stroke: '#fff' }, svg));
    const tags = z.map((_, k) => el('svg:text', { 'font-size': 8, fill: INK }, svg, String(k + 1)));
    const sGate = view.strip('gate', view.t('gateOut'), out);
    const sIn = view.strip('v', 'v', out);
    const sOut = view.strip('gated', view.t('gated'), out);
    return (s, o) => {
      s.z[0].forEach((zk, k) => {
        const x = px(Math.max(-Z_MAX, Math.min(Z_MAX, zk))), y = py(o.gate[0][k]);
        dots[k].setAttribute('cx', x); dots[k].setAttribute('cy', y);
        tags[k].setAttribute('x', x + 6); tags[k].setAttribute('y', y - 6);
      });
      const limit = colourLimit(s.v, o.gated);
      sGate.update(o.gate[0], 'gate');
      sIn.update(s.v[0], 'value', limit);
      sOut.update(o.gated[0], 'value', limit);
    };
  },
};
