// The URL state of the explainers: encode -> decode gives back exactly the same
// inputs (every float64), only changed inputs are written, other explainers' keys
// and damaged entries are handled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeState, decodeValue, encodeState, encodeValue, parseHash, reshape, shapeOf, withState,
} from '../web/gbg-explainers/state.js';
import { uniforms } from '../web/gbg-explainers/random.js';

const defaults = { x: [[0.5, -1]], W_f: [[1, 2, 3], [4, 5, 6]], b_f: [0, 0], T: 50, text: '(())' };

test('shapes and reshape', () => {
  assert.deepEqual(shapeOf(defaults.W_f), [2, 3]);
  assert.deepEqual(shapeOf(3), []);
  assert.deepEqual(reshape([1, 2, 3, 4, 5, 6], [2, 3]), defaults.W_f);
});

test('a round trip through the hash restores every float64 exactly', () => {
  const u = uniforms(7);
  for (let trial = 0; trial < 200; trial++) {
    const r = () => (u() - 0.5) * 10 ** Math.floor(u() * 40 - 20);
    const inputs = { x: [[r(), r()]], W_f: [[r(), r(), r()], [r(), r(), r()]], b_f: [r(), 0], T: 7, text: '()(' };
    const hash = withState('', 'forget', encodeState('forget', inputs, defaults));
    const { inputs: back, problems } = decodeState('forget', parseHash(hash), defaults);
    assert.deepEqual(problems, []);
    assert.deepEqual({ ...defaults, ...back }, inputs);
  }
});

test('only inputs that differ from the defaults are written', () => {
  const entries = encodeState('forget', { ...defaults, b_f: [0.25, 0] }, defaults);
  assert.deepEqual(entries, [['forget.b_f', '0.25,0']]);
  assert.deepEqual(encodeState('forget', defaults, defaults), []);
});

test("other explainers' keys are kept, heading anchors dropped, an empty state clears", () => {
  let hash = withState('#other.T=3', 'forget', [['forget.x', '1,2']]);
  assert.equal(hash, '#other.T=3&forget.x=1%2C2');
  hash = withState(hash, 'forget', []);
  assert.equal(hash, '#other.T=3');
  assert.equal(withState('#summary', 'forget', [['forget.T', '2']]), '#forget.T=2');
  assert.equal(withState('#other.T=3', 'other', []), '');
});

test('damaged entries are reported by name and the rest still decodes', () => {
  const params = parseHash('#forget.x=1,abc&forget.W_f=1,2&forget.nope=1&forget.T=9&forget.text=(()');
  const { inputs, problems } = decodeState('forget', params, defaults);
  assert.deepEqual(inputs, { T: 9, text: '(()' });
  assert.equal(problems.length, 3);
  assert.match(problems[0], /forget\.x: not a finite number: "abc"/);
  assert.match(problems[1], /forget\.W_f: expected 6 numbers for shape \(2, 3\), got 2/);
  assert.match(problems[2], /forget\.nope: no such input/);
});

test('a growable axis takes a sequence of another length', () => {
  const like = [[[1], [0], [0]]];
  assert.deepEqual(decodeValue('1,2,3,4,5', like, 1), [[[1], [2], [3], [4], [5]]]);
  assert.throws(() => decodeValue('', like, 1), /expected a multiple of 1 numbers, got 0/);
  assert.throws(() => decodeValue('1,2,3', [[[0, 0]]], 1), /multiple of 2/);
  assert.equal(encodeValue(like), '1,0,0');
});
