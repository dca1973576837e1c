// Chapters 2 and 9, the gradient over time: ‖∂L/∂h_t‖ for every t of a plain RNN
// and an LSTM (H = 16, D = 4) for a loss on h_T only, on a log axis, recomputed
// as the reader sets T, the recurrent weight scale (gain) and the LSTM's forget bias.
// Weights as lstm_viz.trace.random_rnn_params / random_lstm_params draw them:
// Wx ~ N(0, 1/D), Wh ~ N(0, gain²/H), b = 0 but the LSTM's forget block = b_f.
import * as M from './math.js';
import { normalMatrix } from './random.js';
import { el } from './ui.js';
import { INK, LSTM_COLOUR, RNN_COLOUR } from './style.js';

const H = 16, D = 4, T_MAX = 100;
const BASE = {
  x: normalMatrix(T_MAX, D, 1),
  rnnWx: normalMatrix(D, H, 2), rnnWh: normalMatrix(H, H, 3),
  lstmWx: normalMatrix(D, 4 * H, 4), lstmWh: normalMatrix(H, 4 * H, 5),
};
const scaled = (A, k) => A.map((row) => row.map((v) => k * v));

/** The RNN's and the LSTM's weights and the input sequence for a state {T, scale, forget_bias}. */
export function modelFor({ T, scale, forget_bias }) {
  const lstm_b = new Array(4 * H).fill(0).map((_, k) => (k >= H && k < 2 * H ? forget_bias : 0));
  return {
    x: BASE.x.slice(0, T),
    rnn_Wx: scaled(BASE.rnnWx, 1 / Math.sqrt(D)), rnn_Wh: scaled(BASE.rnnWh, scale / Math.sqrt(H)),
    rnn_b: new Array(H).fill(0),
    lstm_Wx: scaled(BASE.lstmWx, 1 / Math.sqrt(D)), lstm_Wh: scaled(BASE.lstmWh, scale / Math.sqrt(H)),
    lstm_b,
  };
}

const PW = 340, PH = 190, L = 44, R = 8, TOP = 10, BOTTOM = 28;

export const gradient_flow = {
  kind: 'gradient_flow',
  defaults: (o) => ({ T: o.T ?? 50, scale: o.scale ?? 1, forget_bias: o.forget_bias ?? 1 }),
  clamp: (s) => ({
    T: Math.min(T_MAX, Math.max(2, Math.round(s.T))),
    scale: Math.min(4, Math.max(0.1, s.scale)),
    forget_bias: Math.min(8, Math.max(-4, s.forget_bias)),
  }),
  compute(s) {
    const m = modelFor(s);
    const rnn = M.rnnGradientNorms(m.x, m.rnn_Wx, m.rnn_Wh, m.rnn_b);
    const lstm = M.lstmGradientNorms(m.x, m.lstm_Wx, m.lstm_Wh, m.lstm_b);
    return { ...m, rnn_norm: rnn.norm, lstm_norm: lstm.norm };
  },
  build(view) {
    const controls = view.section(view.t('inputs'), view.body, 'gbg-inputs');
    view.slider('T', view.t('length'), controls, { min: 2, max: T_MAX, step: 1 });
    view.slider('scale', view.t('gain'), controls, { min: 0.1, max: 4, step: 0.05 });
    view.slider('forget_bias', view.t('forgetBias'), controls, { min: -4, max: 8, step: 0.25 });

    const out = view.section(view.t('outputs'), view.body, 'gbg-outputs');
    el('div', { class: 'gbg-equation' }, out, view.t('gradTitle'));
    const svg = el('svg:svg', { viewBox: `0 0 ${PW} ${PH}`, class: 'gbg-plot', role: 'img', 'aria-label': view.t('gradTitle') }, out);
    const axes = el('svg:g', {}, svg);
    const lines = {
      rnn: el('svg:polyline', { fill: 'none', stroke: RNN_COLOUR, 'stroke-width': 1.8, 'data-curve': 'rnn' }, svg),
      lstm: el('svg:polyline', { fill: 'none', stroke: LSTM_COLOUR, 'stroke-width': 1.8, 'data-curve': 'lstm' }, svg),
    };
    const legend = el('div', { class: 'gbg-legend' }, out);
    const first = {};
    for (const [key, colour] of [['rnn', RNN_COLOUR], ['lstm', LSTM_COLOUR]]) {
      const item = el('span', { class: 'gbg-legend-item' }, legend);
      el('span', { class: 'gbg-swatch', style: `background:${colour}` }, item);
      el('span', {}, item, `${view.t(key)}: ${view.t('gradFirst')} = `);
      first[key] = el('span', { 'data-output': `${key}_first` }, item);
    }

    return (s, o) => {
      const all = [...o.rnn_norm, ...o.lstm_norm].filter((v) => v > 0 && Number.isFinite(v));
      let lo = Math.floor(Math.log10(Math.min(...all, 1)));
      let hi = Math.ceil(Math.log10(Math.max(...all, 1)));
      lo = Math.max(lo, hi - 300);
      if (hi === lo) hi += 1;
      const X = (t) => L + ((t - 1) / Math.max(s.T - 1, 1)) * (PW - L - R);
      const Y = (v) => TOP + (hi - Math.log10(Math.max(v, 10 ** lo))) / (hi - lo) * (PH - TOP - BOTTOM);
      axes.replaceChildren();
      el('svg:line', { x1: L, y1: PH - BOTTOM, x2: PW - R, y2: PH - BOTTOM, stroke: INK }, axes);
      el('svg:line', { x1: L, y1: TOP, x2: L, y2: PH - BOTTOM, stroke: INK }, axes);
      const every = Math.ceil((hi - lo) / 6);
      for (let k = lo; k <= hi; k += every) {
        el('svg:line', { x1: L, y1: Y(10 ** k), x2: PW - R, y2: Y(10 ** k), stroke: '#e4e4e4' }, axes);
        el('svg:text', { x: L - 4, y: Y(10 ** k) + 3, 'font-size': 9, 'text-anchor': 'end' }, axes, `1e${k}`);
      }
      for (const t of [1, Math.round(s.T / 2), s.T]) {
        el('svg:text', { x: X(t), y: PH - BOTTOM + 12, 'font-size': 9, 'text-anchor': 'middle' }, axes, String(t));
      }
      el('svg:text', { x: (L + PW) / 2, y: PH - 4, 'font-size': 9, 'text-anchor': 'middle' }, axes, view.t('stepAxis'));
      for (const key of ['rnn', 'lstm']) {
        const norm = o[`${key}_norm`];
        lines[key].setAttribute('points', norm.map((v, k) => `${X(k + 1).toFixed(1)},${Y(v).toFixed(1)}`).join(' '));
        first[key].textContent = norm[0].toExponential(1);
        first[key].dataset.value = String(norm[0]);
      }
    };
  },
};
