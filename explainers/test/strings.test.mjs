// The explainers' interface strings: every key has its Korean text with the same
// {fields}, lookup fills the fields by name (a translation may reorder them), and the
// language is taken from the page's marks with English as the fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANG, STRINGS, lookup, pickLanguage, t } from '../web/gbg-explainers/strings.js';

const fields = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every English string has a Korean one with the same fields', () => {
  const keys = Object.keys(STRINGS.en);
  assert.ok(keys.length > 40);
  assert.deepEqual(Object.keys(STRINGS.ko), keys);
  for (const key of keys) {
    assert.ok(STRINGS.ko[key].trim(), `${key}: empty Korean text`);
    assert.deepEqual(fields(STRINGS.ko[key]), fields(STRINGS.en[key]), key);
  }
  const hangul = /[\uac00-\ud7a3]/;
  const worded = keys.filter((k) => /[A-Za-z]{3,}/.test(STRINGS.en[k].replace(/LSTM|RNN|JavaScript/g, '')));
  assert.deepEqual(worded.filter((k) => !hangul.test(STRINGS.ko[k])), []);
});

test('lookup fills the fields in the English order, whatever order the translation uses', () => {
  assert.equal(lookup('en', 'cellStep', 2, 'input'), 'step 2: input');
  assert.equal(lookup('ko', 'cellStep', 2, lookup('ko', 'stepName2')), '2단계: 입력');
  assert.equal(lookup('ko', 'stepOf', 3, 8), '스텝 t = 3 / 8');
  assert.equal(lookup('en', 'stepOf', 3, 8), 'step t = 3 / 8');
  assert.equal(lookup('ko', 'onlyChars', '( )', 'x'), '( )만 쓸 수 있습니다(x은(는) 안 됩니다)');
  assert.equal(lookup('ko', 'reset'), '처음으로');
});

test('languages: a region is ignored, an unknown one falls back to English', () => {
  assert.equal(pickLanguage('ko-KR'), 'ko');
  assert.equal(pickLanguage('ko'), 'ko');
  assert.equal(pickLanguage('fr'), 'en');
  assert.equal(pickLanguage(undefined), 'en');
  assert.equal(lookup('fr', 'reset'), 'Reset');
  assert.equal(lookup('ko', 'no-such-key'), 'no-such-key');
  assert.equal(LANG, 'en');  // no document in node
  assert.equal(t('reset'), 'Reset');
});
