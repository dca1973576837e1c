// Every string the explainers show, in one table (the Korean edition translates it).
export const STRINGS = {
  en: {
    reset: 'Reset',
    resetHint: 'Back to the starting values (and a clean link)',
    share: 'The link in the address bar restores this view.',
    inputs: 'Inputs',
    outputs: 'Outputs',
    weights: 'Weights',
    step: 'Step',
    prevStep: 'Previous step',
    nextStep: 'Next step',
    sequence: 'Input sequence',
    sequenceHint: 'numbers separated by commas or spaces',
    brackets: 'Brackets',
    bracketsHint: 'a string of ( and ) to run the trained model on',
    badSequence: 'Could not read: ',
    length: 'Sequence length T',
    gain: 'Recurrent weight scale (gain)',
    forgetBias: 'LSTM forget bias b_f',
    gradTitle: '‖∂L/∂h_t‖ for every step t (log scale); the loss looks at h_T only',
    gradFirst: '‖∂L/∂h_1‖',
    rnn: 'plain RNN',
    lstm: 'LSTM',
    preactivation: 'Pre-activation z',
    vector: 'Vector v',
    gateOut: 'Gate σ(z)',
    gated: 'Let through σ(z) ⊙ v',
    depth: 'depth (true)',
    predicted: 'depth (model)',
    clickStep: 'Click a column (or use ← →) to follow that step in the cell.',
    weightHint: ' (rows: units; columns: hₜ₋₁, then xₜ)',
    stepAxis: 'step t',
    cellStep: (k, name) => `step ${k}: ${name}`,
    cellLabel: (k) => `LSTM cell, step ${k}`,
    cellAtStep: 'LSTM cell at the chosen step',
    heatmapLabel: 'gates and cell state per step; ← → choose the step',
    unrolled: 'the RNN unrolled over the sequence',
    needOneNumber: 'type at least one number',
    atMostNumbers: (n) => `at most ${n} numbers`,
    notANumber: (p) => `${p} is not a number`,
    onlyChars: (chars, bad) => `only ${chars} (not ${bad})`,
    needOneChar: 'type at least one character',
    atMostChars: (n) => `at most ${n} characters`,
    stepAt: (t, ch) => `t = ${t}: "${ch}"`,
    stepOf: (t, T) => `step t = ${t} / ${T}`,
  },
};

export const LANG = 'en';
/** The string `key` in the page's language; a function entry is called with `args`. */
export const t = (key, ...args) => {
  const v = STRINGS[LANG][key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
