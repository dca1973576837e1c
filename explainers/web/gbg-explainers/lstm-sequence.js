// Chapter 8, the whole cell over a sequence: an LSTM trained by lstm_ref at build
// time (its weights are embedded in the page by the {explainer} directive) runs on
// a bracket string the reader types. Every gate and the cell state per step as a
// heatmap; a click on a column (or ← →) follows that step in the cell diagram.
// Inputs as lstm_ref.lstm_forward's: h0, c0 (1, H), Wx (D, 4H), Wh (H, 4H), b (4H,);
// x (1, T, D) is the one-hot code of `text`; t is the step followed.
import * as M from './math.js';
import { cellDiagram } from './cell.js';
import { colourLimit, el } from './ui.js';
import { INK, STEP_COLOURS, colourFor } from './style.js';

const T_MAX = 50;
// Heatmap row groups: [field, label, kind].
const GROUPS = [['i', 'iₜ', 'gate'], ['f', 'fₜ', 'gate'], ['g', 'c̃ₜ', 'value'], ['o', 'oₜ', 'gate'],
  ['c', 'cₜ', 'value'], ['h', 'hₜ', 'value']];
const CELL = 8, LABEL_W = 30;

function oneHot(text, vocab) {
  return [[...text].map((ch) => vocab.split('').map((v) => (v === ch ? 1 : 0)))];
}

function parseText(vocab) {
  return (text) => {
    const bad = [...new Set([...text].filter((ch) => !vocab.includes(ch)))];
    if (bad.length) throw new Error(`only ${[...vocab].join(' and ')} (not ${bad.join(' ')})`);
    if (!text.length) throw new Error('type at least one character');
    if (text.length > T_MAX) throw new Error(`at most ${T_MAX} characters`);
    return { text };
  };
}

/** depth after each symbol of a bracket string: #( − #). */
function depthOf(text) {
  let d = 0;
  return [...text].map((ch) => (d += ch === '(' ? 1 : ch === ')' ? -1 : 0));
}

export const lstm_sequence = {
  kind: 'lstm_sequence',
  defaults: (o) => {
    const m = o.model, H = m.H;
    return {
      text: o.text ?? '(()(()))((', t: 1,
      h0: [new Array(H).fill(0)], c0: [new Array(H).fill(0)], Wx: m.Wx, Wh: m.Wh, b: m.b,
    };
  },
  clamp: (s) => ({ ...s, t: Math.min(s.text.length, Math.max(1, Math.round(s.t))) }),
  compute(s, o) {
    const m = o.model, x = oneHot(s.text, m.vocab);
    const r = M.lstmForward(x, s.h0, s.c0, s.Wx, s.Wh, s.b);
    const y = [r.h[0].map((h) => h.reduce((acc, v, q) => acc + v * m.W_out[q][0], m.b_out[0]))];
    return { x, ...r, y, depth: [depthOf(s.text)] };
  },
  build(view, o) {
    const m = o.model;
    const controls = view.section(view.t('inputs'), view.body, 'gbg-inputs');
    view.textInput('text', view.t('brackets'), controls, {
      hint: view.t('bracketsHint'), parse: parseText(m.vocab), format: (s) => s.text,
    });
    el('div', { class: 'gbg-note' }, controls, m.about);

    const out = view.section(view.t('outputs'), view.body, 'gbg-outputs');
    el('div', { class: 'gbg-note' }, out, view.t('clickStep'));
    const svg = el('svg:svg', { class: 'gbg-plot gbg-heatmap', role: 'grid', tabindex: 0, 'aria-label': 'gates and cell state per step', 'data-input': 't' }, out);
    const sY = view.strip('y', view.t('predicted'), out);
    const sD = view.strip('depth', view.t('depth'), out);
    const stepInfo = el('div', { class: 'gbg-readout', 'data-readout': 't' }, out);
    const draw = cellDiagram(out, 'LSTM cell at the chosen step');

    svg.addEventListener('click', (ev) => {
      const col = ev.target.closest('[data-t]');
      if (col) view.change({ t: Number(col.dataset.t) });
    });
    svg.addEventListener('keydown', (ev) => {
      const k = { ArrowLeft: -1, ArrowRight: 1, Home: -T_MAX, End: T_MAX }[ev.key];
      if (k === undefined) return;
      ev.preventDefault();
      view.change({ t: view.inputs.t + k });
    });

    return (s, r) => {
      const T = s.text.length, H = m.H;
      const rows = GROUPS.length * H + GROUPS.length - 1;
      svg.setAttribute('viewBox', `0 0 ${LABEL_W + T * CELL + 2} ${rows * CELL + 14}`);
      // About 2.4 px a unit: a short string stays small, a long one fills the width.
      svg.style.maxWidth = `${Math.round((LABEL_W + T * CELL + 2) * 2.4)}px`;
      svg.replaceChildren();
      const limits = { c: colourLimit(r.c), g: 1, h: 1 };
      [...s.text].forEach((ch, k) => {
        el('svg:text', { x: LABEL_W + k * CELL + CELL / 2, y: 9, 'font-size': 8, 'text-anchor': 'middle', fill: INK }, svg, ch);
      });
      GROUPS.forEach(([field, label, kind], gi) => {
        const y0 = 12 + gi * (H + 1) * CELL;
        el('svg:text', { x: 2, y: y0 + (H * CELL) / 2 + 3, 'font-size': 8, fill: INK }, svg, label);
        const g = el('svg:g', { 'data-output': field }, svg);
        for (let k = 0; k < T; k++) {
          for (let q = 0; q < H; q++) {
            const v = r[field][0][k][q];
            el('svg:rect', {
              x: LABEL_W + k * CELL, y: y0 + q * CELL, width: CELL, height: CELL,
              fill: colourFor(v, kind, limits[field] ?? 1).fill, 'data-t': k + 1, 'data-value': String(v),
            }, g);
          }
        }
      });
      el('svg:rect', {
        x: LABEL_W + (s.t - 1) * CELL, y: 11, width: CELL, height: rows * CELL + 2,
        fill: 'none', stroke: STEP_COLOURS[3], 'stroke-width': 1.5, 'pointer-events': 'none',
      }, svg);
      sY.update(r.y[0], 'value', colourLimit(r.depth));
      sD.update(r.depth[0], 'value', colourLimit(r.depth));
      const k = s.t - 1, at = (f) => r[f][0][k];
      stepInfo.textContent = `t = ${s.t}: "${s.text[k]}"`;
      draw({
        highlight: null, limit: limits.c,
        values: {
          prev_h: k ? r.h[0][k - 1] : s.h0[0], prev_c: k ? r.c[0][k - 1] : s.c0[0], x: r.x[0][k],
          f: at('f'), i: at('i'), c_tilde: at('g'), c: at('c'), o: at('o'), h: at('h'),
        },
      });
    };
  },
};
