// The explainers' math against lstm_ref: every function, every fixture case, to 1e-12 relative.
// Fixtures: explainers/test/fixtures/lstm_ref.json, or the file named by GBG_EXPLAINER_FIXTURES
// (tests/test_explainers_math.py regenerates them from lstm_ref and points here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as M from '../web/gbg-explainers/math.js';

const file = process.env.GBG_EXPLAINER_FIXTURES
  ?? new URL('./fixtures/lstm_ref.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8'));
const TOL = 1e-12;
let worst = 0;

const flat = (a) => (Array.isArray(a) ? a.flatMap(flat) : [a]);
const shape = (a) => (Array.isArray(a) ? [a.length, ...shape(a[0])] : []);

/** Relative error of one array: max |got − want| / max |want| (the array's own scale). */
function close(got, want, what) {
  assert.deepEqual(shape(got), shape(want), `${what}: shape`);
  const g = flat(got), w = flat(want);
  const scale = Math.max(...w.map(Math.abs), Number.MIN_VALUE);
  const err = Math.max(0, ...g.map((v, k) => Math.abs(v - w[k]))) / scale;
  worst = Math.max(worst, err);
  assert.ok(err <= TOL, `${what}: relative error ${err} > ${TOL}`);
}

test('fixtures hold several random shapes', () => {
  assert.ok(cases.length >= 4);
  assert.ok(new Set(cases.map((c) => JSON.stringify(c.dims))).size >= 3);
});

cases.forEach((c, k) => {
  const I = c.inputs, x = I.x_seq.map((s) => s[0]);
  const name = `case ${k} ${JSON.stringify(c.dims)}`;

  test(`${name}: RNN step and sequence`, () => {
    close(M.rnnStepForward(x, I.h0, I.rnn_Wx, I.rnn_Wh, I.rnn_b), c.rnn_step_forward.next_h, 'next_h');
    close(M.rnnForward(I.x_seq, I.h0, I.rnn_Wx, I.rnn_Wh, I.rnn_b).h, c.rnn_forward.h, 'h');
  });

  test(`${name}: LSTM step`, () => {
    const s = M.lstmStepForward(x, I.h0, I.c0, I.Wx, I.Wh, I.b);
    for (const key of Object.keys(c.lstm_step_forward)) close(s[key], c.lstm_step_forward[key], key);
  });

  test(`${name}: LSTM sequence`, () => {
    const s = M.lstmForward(I.x_seq, I.h0, I.c0, I.Wx, I.Wh, I.b);
    for (const key of Object.keys(c.lstm_forward)) close(s[key], c.lstm_forward[key], key);
  });

  test(`${name}: the per-gate functions`, () => {
    const f = M.forgetGate(I.h0, x, I.W_f, I.b_f);
    const i = M.inputGate(I.h0, x, I.W_i, I.b_i);
    const c_tilde = M.candidate(I.h0, x, I.W_c, I.b_c);
    const cell = M.updateCell(I.c0, f, i, c_tilde);
    const o = M.outputGate(I.h0, x, I.W_o, I.b_o);
    const got = { f, i, c_tilde, c: cell, o, h: M.hiddenState(o, cell) };
    for (const key of Object.keys(c.gates)) close(got[key], c.gates[key], key);
  });

  test(`${name}: gradient norms over time`, () => {
    const r = M.rnnGradientNorms(I.x_seq[0], I.rnn_Wx, I.rnn_Wh, I.rnn_b);
    close(r.dh, c.rnn_gradients.dh, 'rnn dh');
    close(r.norm, c.rnn_gradients.norm, 'rnn norm');
    const l = M.lstmGradientNorms(I.x_seq[0], I.Wx, I.Wh, I.b);
    for (const key of ['dh', 'dc', 'norm']) close(l[key], c.lstm_gradients[key], `lstm ${key}`);
  });
});

test('sigmoid is stable at ±1000 and symmetric', () => {
  assert.equal(M.sigmoid(1000), 1);
  assert.equal(M.sigmoid(-1000), 0);
  assert.ok(Math.abs(M.sigmoid(2) + M.sigmoid(-2) - 1) < 1e-15);
});

test('matmul names a shape mismatch', () => {
  assert.throws(() => M.matmul([[1, 2, 3]], [[1], [2]]), /expected rows of length 2, got 3/);
});

test('report the worst relative error', () => {
  assert.ok(worst > 0 && worst <= TOL);
  console.log(`worst relative error against lstm_ref: ${worst.toExponential(2)}`);
});
