// The LSTM cell diagram, drawn as SVG by our own code after lstm_viz's figure
// (lstm_viz/draw/lstm_cell.py): the cell state runs along the top as a belt,
// h_{t-1} and x_t enter at the bottom, the σ gates and the tanh candidate stand in
// a row. Every part belongs to one of the four steps (1 forget, 2 input, 3 update,
// 4 output); the highlighted step is drawn in its colour, the others grey. Each
// gate box and the belt carry a strip of the current values (data-output "cell.<field>").
import { el } from './ui.js';
import { BODY, INACTIVE, INK, STEP_COLOURS, colourFor } from './style.js';
import { t } from './strings.js';

const BELT_Y = 46, BUS_Y = 176, BOX_Y = 128;

// [points, step]: the wires, each coloured by the step that uses it (0: always ink).
const WIRES = [
  [[[4, BELT_Y], [98, BELT_Y]], 1],                 // c_{t-1} into the forget ×
  [[[122, BELT_Y], [188, BELT_Y]], 3],              // kept memory into the +
  [[[212, BELT_Y], [356, BELT_Y]], 3],              // c_t out
  [[[4, BUS_Y], [270, BUS_Y]], 0],                  // [h_{t-1}, x_t] bus
  [[[52, 214], [52, BUS_Y]], 0],                    // x_t up into the bus
  [[[90, BUS_Y], [90, BOX_Y + 14]], 1], [[[90, BOX_Y - 14], [110, BELT_Y + 12]], 1],
  [[[140, BUS_Y], [140, BOX_Y + 14]], 2], [[[140, BOX_Y - 14], [162, 90]], 2],
  [[[190, BUS_Y], [190, BOX_Y + 14]], 2], [[[190, BOX_Y - 14], [176, 90]], 2],
  [[[170, 78], [200, BELT_Y + 12]], 3],             // i ⊙ c̃ up into the +
  [[[250, BUS_Y], [250, BOX_Y + 14]], 4], [[[250, BOX_Y - 14], [286, 116]], 4],
  [[[300, BELT_Y], [300, 70]], 4], [[[300, 94], [300, 106]], 4],
  [[[312, 118], [356, 118]], 4],                    // h_t out
];

// Gate boxes: [field, label, x, step, kind].
const BOXES = [
  ['f', 'σ  f', 90, 1, 'gate'], ['i', 'σ  i', 140, 2, 'gate'],
  ['c_tilde', 'tanh  c̃', 190, 2, 'value'], ['o', 'σ  o', 250, 4, 'gate'],
];
// Pointwise nodes: [text, x, y, step].
const NODES = [['×', 110, BELT_Y, 1], ['+', 200, BELT_Y, 3], ['×', 170, 90, 2],
  ['tanh', 300, 82, 4], ['×', 300, 118, 4]];
// Value strips along the belt and at the ends: [field, label, x, y, step, kind];
// each strip is at most 30 units wide and starts 26 after its label, inside the 360-wide box.
const STRIPS = [
  ['prev_c', 'cₜ₋₁', 8, 18, 1, 'value'], ['c', 'cₜ', 262, 18, 3, 'value'],
  ['h', 'hₜ', 300, 140, 4, 'value'], ['prev_h', 'hₜ₋₁', 8, 196, 0, 'value'],
  ['x', 'xₜ', 64, 204, 0, 'value'],
];

/**
 * Draws the cell into `parent`; returns update({highlight, values, limit}) where
 * values holds any of prev_h, x, prev_c, f, i, c_tilde, c, o, h (each a vector).
 */
export function cellDiagram(parent, label) {
  const svg = el('svg:svg', { viewBox: '0 0 360 222', class: 'gbg-cell-diagram', role: 'img', 'aria-label': label }, parent);
  el('svg:rect', { x: 2, y: 8, width: 356, height: 210, rx: 14, fill: BODY, stroke: INK, 'stroke-width': 1 }, svg);
  const parts = [];
  for (const [pts, step] of WIRES) {
    const line = el('svg:polyline', { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', 'stroke-width': 2.2, 'stroke-linecap': 'round' }, svg);
    parts.push({ node: line, step, attr: 'stroke' });
  }
  const strips = {};
  for (const [field, text, x, step, kind] of BOXES) {
    const box = el('svg:rect', { x: x - 22, y: BOX_Y - 14, width: 44, height: 28, rx: 5, 'data-part': field }, svg);
    parts.push({ node: box, step, attr: 'fill' });
    el('svg:text', { x, y: BOX_Y - 1, 'text-anchor': 'middle', fill: '#fff', 'font-size': 10, 'font-weight': 'bold' }, svg, text);
    strips[field] = { g: el('svg:g', { transform: `translate(${x - 20},${BOX_Y + 4})`, 'data-output': `cell.${field}` }, svg), kind, w: 40 };
  }
  for (const [text, x, y, step] of NODES) {
    const r = text === 'tanh' ? 12 : 9;
    const circle = el('svg:circle', { cx: x, cy: y, r, fill: '#fff', 'stroke-width': 1.6 }, svg);
    parts.push({ node: circle, step, attr: 'stroke' });
    const label = el('svg:text', { x, y: y + 4, 'text-anchor': 'middle', 'font-size': text === 'tanh' ? 8 : 12 }, svg, text);
    parts.push({ node: label, step, attr: 'fill' });
  }
  for (const [field, text, x, y, step, kind] of STRIPS) {
    const name = el('svg:text', { x, y: y + 8, 'font-size': 10 }, svg, text);
    parts.push({ node: name, step, attr: 'fill' });
    strips[field] = { g: el('svg:g', { transform: `translate(${x + 26},${y})`, 'data-output': `cell.${field}` }, svg), kind, w: 30 };
  }
  const title = el('svg:text', { x: 180, y: 212, 'text-anchor': 'middle', 'font-size': 10, fill: INK }, svg);

  return function update({ highlight = null, values = {}, limit = 1 } = {}) {
    for (const { node, step, attr } of parts) {
      const on = highlight === null || step === 0 || step === highlight;
      node.setAttribute(attr, on ? (STEP_COLOURS[step] ?? INK) : INACTIVE);
    }
    title.textContent = highlight ? t('cellStep', highlight, t(`stepName${highlight}`)) : '';
    for (const [field, s] of Object.entries(strips)) {
      const v = values[field] ?? [];
      while (s.g.children.length < v.length) el('svg:rect', { height: 9, stroke: INK, 'stroke-width': 0.3 }, s.g);
      while (s.g.children.length > v.length) s.g.lastChild.remove();
      const w = Math.min(12, s.w / Math.max(v.length, 1));
      v.forEach((value, k) => {
        const r = s.g.children[k];
        r.setAttribute('x', k * w);
        r.setAttribute('width', w);
        r.setAttribute('fill', colourFor(value, s.kind, s.kind === 'gate' ? 1 : limit).fill);
        r.dataset.value = String(value);
      });
    }
  };
}
