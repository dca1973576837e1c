// Chapter 1, the unrolled RNN: the reader types a short sequence x_1 … x_T (D = 1)
// and steps through the copies of the network, h_t = tanh(x_t Wx + h_{t-1} Wh + b)
// updating at each (H = 3). Inputs as lstm_ref.rnn_forward's: x (1, T, 1), h0 (1, H),
// Wx (1, H), Wh (H, H), b (H,); t is the copy shown.
import * as M from './math.js';
import { colourLimit, el } from './ui.js';
import { INACTIVE, INK, STEP_COLOURS, colourFor } from './style.js';
import { t as tr } from './strings.js';

const T_MAX = 12, COPY_W = 56;

function parseSequence(text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) throw new Error(tr('needOneNumber'));
  if (parts.length > T_MAX) throw new Error(tr('atMostNumbers', T_MAX));
  const values = parts.map((p) => {
    const v = Number(p);
    if (!Number.isFinite(v)) throw new Error(tr('notANumber', JSON.stringify(p)));
    return v;
  });
  return { x: [values.map((v) => [v])] };
}

export const rnn_sequence = {
  kind: 'rnn_sequence',
  growable: { x: 1 },
  defaults: () => ({
    x: [[[1], [0], [0], [-1], [0.5]]],
    h0: [[0, 0, 0]],
    Wx: [[0.9, -0.6, 0.3]],
    Wh: [[0.5, 0.4, 0], [-0.3, 0.6, 0.2], [0.1, -0.2, 0.7]],
    b: [0, 0.1, -0.1],
    t: 1,
  }),
  clamp: (s) => ({ ...s, x: [s.x[0].slice(0, T_MAX)], t: Math.min(s.x[0].slice(0, T_MAX).length, Math.max(1, Math.round(s.t))) }),
  compute: (s) => M.rnnForward(s.x, s.h0, s.Wx, s.Wh, s.b),
  build(view) {
    const controls = view.section(view.t('inputs'), view.body, 'gbg-inputs');
    view.textInput('x', view.t('sequence'), controls, {
      hint: view.t('sequenceHint'), parse: parseSequence,
      format: (s) => s.x[0].map((r) => String(r[0])).join(', '),
    });
    const nav = el('div', { class: 'gbg-control gbg-stepper' }, controls);
    const prev = el('button', { type: 'button', 'aria-label': view.t('prevStep') }, nav, '◀');
    const slider = el('input', { type: 'range', min: 1, step: 1, class: 'gbg-slider', 'data-input': 't', 'aria-label': view.t('step') }, nav);
    const next = el('button', { type: 'button', 'aria-label': view.t('nextStep') }, nav, '▶');
    const readout = el('output', { class: 'gbg-readout', 'data-readout': 't' }, nav);
    prev.addEventListener('click', () => view.change({ t: Math.max(1, view.inputs.t - 1) }));
    next.addEventListener('click', () => view.change({ t: Math.min(view.inputs.x[0].length, view.inputs.t + 1) }));
    slider.addEventListener('input', () => view.change({ t: Number(slider.value) }));
    view.bind((s) => {
      slider.max = String(s.x[0].length);
      if (Number(slider.value) !== s.t) slider.value = String(s.t);
      readout.textContent = view.t('stepOf', s.t, s.x[0].length);
    });
    const weights = view.section(view.t('weights'), controls, 'gbg-weights');
    view.numberGrid('Wx', 'Wx (1 × H)', weights);
    view.numberGrid('Wh', 'Wh (H × H)', weights);
    view.numberGrid('b', 'b', weights);
    view.numberGrid('h0', 'h₀', weights);

    const out = view.section(view.t('outputs'), view.body, 'gbg-outputs');
    const svg = el('svg:svg', { class: 'gbg-plot gbg-unrolled', role: 'img', 'aria-label': view.t('unrolled') }, out);
    el('div', { class: 'gbg-equation' }, out, 'hₜ = tanh(xₜ Wx + hₜ₋₁ Wh + b)');
    const sPrev = view.strip('h_prev', 'hₜ₋₁', out);
    const sX = view.strip('x_t', 'xₜ', out);
    const sH = view.strip('h_t', 'hₜ', out);

    return (s, o) => {
      const T = s.x[0].length, H = s.h0[0].length, h = o.h[0];
      const limit = colourLimit(h, s.h0, s.x);
      svg.setAttribute('viewBox', `0 0 ${COPY_W * (T + 1)} 120`);
      svg.replaceChildren();
      const states = [s.h0[0], ...h];
      for (let k = 0; k <= T; k++) {
        const x0 = k * COPY_W + 6, done = k <= s.t, current = k === s.t;
        const colour = current ? STEP_COLOURS[4] : done ? INK : INACTIVE;
        if (k > 0) {
          el('svg:rect', { x: x0, y: 50, width: COPY_W - 14, height: 22, rx: 4, fill: current ? STEP_COLOURS[4] : '#fff', stroke: colour, 'stroke-width': current ? 2 : 1 }, svg);
          el('svg:text', { x: x0 + (COPY_W - 14) / 2, y: 65, 'font-size': 9, 'text-anchor': 'middle', fill: current ? '#fff' : colour }, svg, 'RNN');
          el('svg:line', { x1: x0 - 14, y1: 61, x2: x0, y2: 61, stroke: colour, 'stroke-width': 1.4 }, svg);
          el('svg:line', { x1: x0 + 21, y1: 96, x2: x0 + 21, y2: 72, stroke: colour }, svg);
          el('svg:text', { x: x0 + 21, y: 108, 'font-size': 9, 'text-anchor': 'middle', fill: colour }, svg, `x${k}=${s.x[0][k - 1][0]}`);
        }
        el('svg:text', { x: x0 + 21, y: 14, 'font-size': 9, 'text-anchor': 'middle', fill: colour }, svg, `h${k}`);
        const w = Math.min(12, 40 / H);
        states[k].forEach((v, q) => {
          el('svg:rect', {
            x: x0 + 21 - (w * H) / 2 + q * w, y: 20, width: w, height: 12, stroke: colour, 'stroke-width': 0.4,
            fill: done ? colourFor(v, 'value', limit).fill : '#fff', 'data-value': done ? String(v) : '',
          }, svg);
        });
      }
      sPrev.update(states[s.t - 1], 'value', limit);
      sX.update(s.x[0][s.t - 1], 'value', limit);
      sH.update(states[s.t], 'value', limit);
    };
  },
};
