// Chapter 8, the whole cell over a sequence: an LSTM trained by lstm_ref at build
// time (its weights are embedded in the page by the {explainer} directive) runs on
// a bracket string the reader types. Every gate and the cell state per step as a
// heatmap; a click on a column (or ← →) follows that step in the cell diagram.
// Inputs as lstm_ref.lstm_forward's: h0, c0 (1, H), Wx (D, 4H), Wh (H, 4H), b (4H,);
// x (1, T, D) is the one-hot code of `text`; t is the step followed.
import * as M from './math.js';
import { cellDiagram } from './cell.js';
import { colourLimit, el } from './ui.js';
import { INK, STEP_COLOURS, colourRgb } from './style.js';
import { t } from './strings.js';

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
    if (bad.length) throw new Error(t('onlyChars', [...vocab].join(' '), bad.join(' ')));
    if (!text.length) throw new Error(t('needOneChar'));
    if (text.length > T_MAX) throw new Error(t('atMostChars', T_MAX));
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
    // A canvas: thousands of cells recoloured per keystroke stay well inside a frame.
    const canvas = el('canvas', { class: 'gbg-heatmap', tabindex: 0, role: 'img', 'data-input': 't',
      'aria-label': t('heatmapLabel') }, out);
    const info = el('div', { class: 'gbg-legend' }, out);
    const stepInfo = el('span', { class: 'gbg-legend-item', 'data-readout': 't' }, info);
    const readout = (name, label) => {
      const box = el('span', { class: 'gbg-legend-item' }, info);
      el('span', {}, box, `${label}: `);
      return el('span', { 'data-output': name }, box);
    };
    const yShown = readout('y_t', view.t('predicted')), depthShown = readout('depth_t', view.t('depth'));
    const draw = cellDiagram(out, t('cellAtStep'));

    canvas.addEventListener('click', (ev) => {
      const box = canvas.getBoundingClientRect(), T = view.inputs.text.length;
      const u = ((ev.clientX - box.left) / box.width) * (LABEL_W + T * CELL + 2) - LABEL_W;
      if (u >= 0 && u < T * CELL) view.change({ t: 1 + Math.floor(u / CELL) });
    });
    canvas.addEventListener('keydown', (ev) => {
      const k = { ArrowLeft: -1, ArrowRight: 1, Home: -T_MAX, End: T_MAX }[ev.key];
      if (k === undefined) return;
      ev.preventDefault();
      view.change({ t: view.inputs.t + k });
    });

    // The gate and state rows, then one row of the model's depth and one of the true depth.
    const H = m.H, rows = GROUPS.length * (H + 1) + 2, ctx = canvas.getContext('2d');
    // One pixel a cell, then scaled up without smoothing: one image per redraw, not T·6H rectangles.
    const cellsCanvas = document.createElement('canvas'), cellsCtx = cellsCanvas.getContext('2d');
    const SCALE = Math.min(2, Math.ceil(window.devicePixelRatio || 1));  // canvas pixels a unit

    return (s, r) => {
      const T = s.text.length, w = LABEL_W + T * CELL + 2, h = rows * CELL + 14;
      if (canvas.width !== w * SCALE) {
        canvas.width = w * SCALE;
        canvas.height = h * SCALE;
        // About 2.4 px a unit: a short string stays small, a long one fills the width.
        canvas.style.maxWidth = `${Math.round(w * 2.4)}px`;
      }
      ctx.setTransform(SCALE, 0, 0, SCALE, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = INK;
      ctx.font = '8px sans-serif';
      ctx.textAlign = 'center';
      [...s.text].forEach((ch, k) => ctx.fillText(ch, LABEL_W + k * CELL + CELL / 2, 9));
      const limits = { c: colourLimit(r.c) };
      cellsCanvas.width = T;
      cellsCanvas.height = rows;
      const image = cellsCtx.createImageData(T, rows), px = image.data;
      GROUPS.forEach(([field, label, kind], gi) => {
        const y0 = gi * (H + 1), values = r[field][0], limit = limits[field] ?? 1;
        ctx.fillStyle = INK;
        ctx.textAlign = 'left';
        ctx.fillText(label, 2, 12 + y0 * CELL + (H * CELL) / 2 + 3);
        for (let k = 0; k < T; k++) {
          for (let q = 0; q < H; q++) {
            const [R, G, B] = colourRgb(values[k][q], kind, limit), at = 4 * ((y0 + q) * T + k);
            px[at] = R; px[at + 1] = G; px[at + 2] = B; px[at + 3] = 255;
          }
        }
      });
      const dLimit = colourLimit(r.depth, r.y);
      [[r.y[0], 'y'], [r.depth[0], 'd']].forEach(([values, label], j) => {
        const y0 = GROUPS.length * (H + 1) + j;
        ctx.fillStyle = INK;
        ctx.fillText(label, 2, 12 + y0 * CELL + CELL - 1);
        values.forEach((v, k) => {
          const [R, G, B] = colourRgb(v, 'value', dLimit), at = 4 * (y0 * T + k);
          px[at] = R; px[at + 1] = G; px[at + 2] = B; px[at + 3] = 255;
        });
      });
      cellsCtx.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(cellsCanvas, LABEL_W, 12, T * CELL, rows * CELL);
      ctx.strokeStyle = STEP_COLOURS[3];
      ctx.lineWidth = 1.5;
      ctx.strokeRect(LABEL_W + (s.t - 1) * CELL, 11, CELL, rows * CELL + 2);
      const k = s.t - 1, at = (f) => r[f][0][k];
      stepInfo.textContent = t('stepAt', s.t, s.text[k]);
      for (const [node, v, text] of [[yShown, r.y[0][k], r.y[0][k].toFixed(2)], [depthShown, r.depth[0][k], String(r.depth[0][k])]]) {
        node.textContent = text;
        node.dataset.value = String(v);
      }
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
