// The four steps of the cell (chapters 4 to 7), one explainer kind each:
// forget_gate, input_gate, update_cell, output_gate. H = 3 units, D = 2 inputs;
// every entry of h_{t-1}, x_t, c_{t-1} and of the step's weights and bias is an
// editable number; the step's outputs and its part of the cell diagram redraw at once.
import * as M from './math.js';
import { normalMatrix } from './random.js';
import { cellDiagram } from './cell.js';
import { colourLimit } from './ui.js';
import { STEP_COLOURS } from './style.js';
import { t } from './strings.js';

const H = 3, D = 2;
const round1 = (a) => a.map((row) => row.map((v) => Math.round(v * 10) / 10));
const rowOf = (seed, n, scale = 1) => round1(normalMatrix(1, n, seed).map((r) => r.map((v) => v * scale)));
const weight = (seed) => round1(normalMatrix(H, H + D, seed).map((r) => r.map((v) => 0.8 * v)));
const WEIGHT_HINT = t('weightHint');

const common = () => ({ prev_h: rowOf(11, H, 0.6), x: rowOf(12, D) });
const gateWeights = (g, seed, bias) => ({ [`W_${g}`]: weight(seed), [`b_${g}`]: bias });

/** Each step: its number (colour), the inputs it edits and what it computes. */
const STEPS = {
  forget_gate: {
    step: 1,
    equation: `fₜ = σ(W_f · [hₜ₋₁, xₜ] + b_f),   ${t('kept')} = fₜ ⊙ cₜ₋₁`,
    defaults: () => ({ ...common(), prev_c: rowOf(13, H, 1.5), ...gateWeights('f', 14, [1, 0, -1]) }),
    grids: [['prev_h', 'hₜ₋₁'], ['x', 'xₜ'], ['prev_c', 'cₜ₋₁'], ['W_f', 'W_f' + WEIGHT_HINT], ['b_f', 'b_f']],
    compute(s) {
      const f = M.forgetGate(s.prev_h, s.x, s.W_f, s.b_f);
      return { f, f_prev_c: M.zip(f, s.prev_c, (a, b) => a * b) };
    },
    shows: [['f', 'fₜ', 'gate'], ['f_prev_c', 'fₜ ⊙ cₜ₋₁', 'value']],
    diagram: (s, o) => ({ prev_h: s.prev_h[0], x: s.x[0], prev_c: s.prev_c[0], f: o.f[0] }),
  },
  input_gate: {
    step: 2,
    equation: 'iₜ = σ(W_i · [hₜ₋₁, xₜ] + b_i),   c̃ₜ = tanh(W_c · [hₜ₋₁, xₜ] + b_c)',
    defaults: () => ({ ...common(), ...gateWeights('i', 21, [0, 0, 0]), ...gateWeights('c', 22, [0, 0, 0]) }),
    grids: [['prev_h', 'hₜ₋₁'], ['x', 'xₜ'], ['W_i', 'W_i' + WEIGHT_HINT], ['b_i', 'b_i'],
      ['W_c', 'W_c' + WEIGHT_HINT], ['b_c', 'b_c']],
    compute(s) {
      const i = M.inputGate(s.prev_h, s.x, s.W_i, s.b_i);
      const c_tilde = M.candidate(s.prev_h, s.x, s.W_c, s.b_c);
      return { i, c_tilde, i_c_tilde: M.zip(i, c_tilde, (a, b) => a * b) };
    },
    shows: [['i', 'iₜ', 'gate'], ['c_tilde', 'c̃ₜ', 'value'], ['i_c_tilde', 'iₜ ⊙ c̃ₜ', 'value']],
    diagram: (s, o) => ({ prev_h: s.prev_h[0], x: s.x[0], i: o.i[0], c_tilde: o.c_tilde[0] }),
  },
  update_cell: {
    step: 3,
    equation: 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ',
    defaults: () => ({ prev_c: rowOf(13, H, 1.5), f: [[0.9, 0.5, 0.1]], i: [[0.2, 0.5, 0.9]], c_tilde: [[0.8, -0.4, 0.6]] }),
    grids: [['prev_c', 'cₜ₋₁'], ['f', 'fₜ', { min: 0, max: 1, step: 0.05 }],
      ['i', 'iₜ', { min: 0, max: 1, step: 0.05 }], ['c_tilde', 'c̃ₜ', { min: -1, max: 1, step: 0.05 }]],
    compute: (s) => ({ c: M.updateCell(s.prev_c, s.f, s.i, s.c_tilde) }),
    shows: [['c', 'cₜ', 'value']],
    diagram: (s, o) => ({ prev_c: s.prev_c[0], f: s.f[0], i: s.i[0], c_tilde: s.c_tilde[0], c: o.c[0] }),
  },
  output_gate: {
    step: 4,
    equation: 'oₜ = σ(W_o · [hₜ₋₁, xₜ] + b_o),   hₜ = oₜ ⊙ tanh(cₜ)',
    defaults: () => ({ ...common(), c: rowOf(15, H, 1.5), ...gateWeights('o', 16, [0, 0, 0]) }),
    grids: [['prev_h', 'hₜ₋₁'], ['x', 'xₜ'], ['c', 'cₜ'], ['W_o', 'W_o' + WEIGHT_HINT], ['b_o', 'b_o']],
    compute(s) {
      const o = M.outputGate(s.prev_h, s.x, s.W_o, s.b_o);
      return { o, h: M.hiddenState(o, s.c) };
    },
    shows: [['o', 'oₜ', 'gate'], ['h', 'hₜ', 'value']],
    diagram: (s, o) => ({ prev_h: s.prev_h[0], x: s.x[0], c: s.c[0], o: o.o[0], h: o.h[0] }),
  },
};

function stepSpec(kind) {
  const S = STEPS[kind];
  return {
    kind,
    defaults: S.defaults,
    compute: (inputs) => S.compute(inputs),
    build(view) {
      view.root.style.setProperty('--gbg-step', STEP_COLOURS[S.step]);
      const controls = view.section(view.t('inputs'), view.body, 'gbg-inputs');
      for (const [name, label, opts] of S.grids) view.numberGrid(name, label, controls, opts);
      const out = view.section(view.t('outputs'), view.body, 'gbg-outputs');
      view.el('div', { class: 'gbg-equation' }, out, S.equation);
      const strips = S.shows.map(([name, label, k]) => [name, k, view.strip(name, label, out)]);
      const draw = cellDiagram(out, view.t('cellLabel', S.step));
      return (inputs, outputs) => {
        const limit = colourLimit(Object.values(outputs), Object.values(inputs));
        for (const [name, k, s] of strips) s.update(outputs[name][0], k, limit);
        draw({ highlight: S.step, values: S.diagram(inputs, outputs), limit });
      };
    },
  };
}

export const forget_gate = stepSpec('forget_gate');
export const input_gate = stepSpec('input_gate');
export const update_cell = stepSpec('update_cell');
export const output_gate = stepSpec('output_gate');
