// The RNN and LSTM forward passes and the gradient norms over time, in float64
// (JavaScript numbers), for the live explainers. Arrays are nested plain arrays
// in lstm_ref's shapes: x (N, D), prev_h (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,),
// sequences x (N, T, D) -> h (N, T, H); stacked gate order i, f, g, o. The
// per-gate (book) form has W_* (H, H + D) acting on [h_{t-1}, x_t], previous
// hidden state first. A test compares every function with lstm_ref to 1e-12.

/** σ(z) = 1 / (1 + e^−z), evaluated as lstm_ref does so that nothing overflows. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

export const tanh = Math.tanh;

/** A (n, k) @ B (k, m) -> (n, m). */
export function matmul(A, B) {
  const n = A.length, k = B.length, m = k ? B[0].length : 0;
  const out = [];
  for (let r = 0; r < n; r++) {
    const row = new Array(m).fill(0), a = A[r];
    if (a.length !== k) throw new Error(`matmul: expected rows of length ${k}, got ${a.length}`);
    for (let j = 0; j < k; j++) {
      const s = a[j], bj = B[j];
      for (let q = 0; q < m; q++) row[q] += s * bj[q];
    }
    out.push(row);
  }
  return out;
}

/** Elementwise f over a nested array of any depth. */
export function map(a, f) {
  return Array.isArray(a) ? a.map((v) => map(v, f)) : f(a);
}

/** Elementwise f(a, b) over two nested arrays of the same shape. */
export function zip(a, b, f) {
  return Array.isArray(a) ? a.map((v, k) => zip(v, b[k], f)) : f(a, b);
}

const add = (a, b) => zip(a, b, (u, v) => u + v);
const mul = (a, b) => zip(a, b, (u, v) => u * v);
const addRow = (A, b) => A.map((row) => row.map((v, q) => v + b[q]));
const cols = (A, lo, hi) => A.map((row) => row.slice(lo, hi));

/** [h, x] (N, H + D), previous hidden state first. */
export function concatHx(prev_h, x) {
  return prev_h.map((row, n) => row.concat(x[n]));
}

/** W (H, H + D) -> Wᵀ (H + D, H), so that [h, x] @ Wᵀ is W · [h, x] for a batch of rows. */
export function transpose(W) {
  return W[0].map((_, j) => W.map((row) => row[j]));
}

// ------------------------------------------------------------------ per-gate (book) form

/** z = W · [prev_h, x] + b, (N, H). */
export function preactivation(prev_h, x, W, b) {
  return addRow(matmul(concatHx(prev_h, x), transpose(W)), b);
}

/** σ(W · [h_{t-1}, x_t] + b): a generic gate, values in (0, 1). */
export function gate(prev_h, x, W, b) {
  return map(preactivation(prev_h, x, W, b), sigmoid);
}

export const forgetGate = gate;   // f_t = σ(W_f · [h_{t-1}, x_t] + b_f)
export const inputGate = gate;    // i_t = σ(W_i · [h_{t-1}, x_t] + b_i)
export const outputGate = gate;   // o_t = σ(W_o · [h_{t-1}, x_t] + b_o)

/** c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c), (N, H). */
export function candidate(prev_h, x, W_c, b_c) {
  return map(preactivation(prev_h, x, W_c, b_c), tanh);
}

/** c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t, all (N, H). */
export function updateCell(prev_c, f, i, c_tilde) {
  return add(mul(f, prev_c), mul(i, c_tilde));
}

/** h_t = o_t ⊙ tanh(c_t), (N, H). */
export function hiddenState(o, c) {
  return mul(o, map(c, tanh));
}

// ------------------------------------------------------------------ plain RNN

/** next_h = tanh(x Wx + prev_h Wh + b): x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,). */
export function rnnStepForward(x, prev_h, Wx, Wh, b) {
  return map(addRow(add(matmul(x, Wx), matmul(prev_h, Wh)), b), tanh);
}

/** x (N, T, D), h0 (N, H) -> h (N, T, H), h_t = tanh(x_t Wx + h_{t-1} Wh + b). */
export function rnnForward(x, h0, Wx, Wh, b) {
  const T = x[0].length, steps = [];
  let h = h0;
  for (let t = 0; t < T; t++) {
    h = rnnStepForward(x.map((seq) => seq[t]), h, Wx, Wh, b);
    steps.push(h);
  }
  return { h: timeMajorToBatch(steps) };
}

// ------------------------------------------------------------------ LSTM, stacked form

/**
 * One LSTM step. x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,).
 * a = x Wx + prev_h Wh + b; i, f, o = σ(a_i, a_f, a_o); g = tanh(a_g);
 * next_c = f ⊙ prev_c + i ⊙ g; next_h = o ⊙ tanh(next_c). Every array (N, H).
 */
export function lstmStepForward(x, prev_h, prev_c, Wx, Wh, b) {
  const H = prev_h[0].length;
  const a = addRow(add(matmul(x, Wx), matmul(prev_h, Wh)), b);
  const i = map(cols(a, 0, H), sigmoid);
  const f = map(cols(a, H, 2 * H), sigmoid);
  const g = map(cols(a, 2 * H, 3 * H), tanh);
  const o = map(cols(a, 3 * H, 4 * H), sigmoid);
  const next_c = updateCell(prev_c, f, i, g);
  const next_h = hiddenState(o, next_c);
  return { next_h, next_c, i, f, g, o };
}

/** steps[t] (N, H) for t < T -> (N, T, H). */
function timeMajorToBatch(steps) {
  return steps[0].map((_, n) => steps.map((s) => s[n]));
}

/**
 * x (N, T, D), h0, c0 (N, H) -> {h, c, i, f, g, o}, each (N, T, H): h[:, t-1] is h_t.
 */
export function lstmForward(x, h0, c0, Wx, Wh, b) {
  const T = x[0].length, out = { h: [], c: [], i: [], f: [], g: [], o: [] };
  let h = h0, c = c0;
  for (let t = 0; t < T; t++) {
    const s = lstmStepForward(x.map((seq) => seq[t]), h, c, Wx, Wh, b);
    h = s.next_h; c = s.next_c;
    out.h.push(h); out.c.push(c);
    for (const k of ["i", "f", "g", "o"]) out[k].push(s[k]);
  }
  for (const k of Object.keys(out)) out[k] = timeMajorToBatch(out[k]);
  return out;
}

// ------------------------------------------------------------------ gradients over time

const l2 = (v) => Math.sqrt(v.reduce((s, u) => s + u * u, 0));
const vecMatT = (v, W) => W.map((row) => row.reduce((s, w, q) => s + w * v[q], 0));

/**
 * ∂L/∂h_t of a plain RNN for L = u · h_T, u = (1, ..., 1)/√H, h_0 = 0 (as
 * lstm_viz.trace.trace_rnn_gradients). x (T, D), Wx (D, H), Wh (H, H), b (H,).
 * ∂L/∂h_{t-1} = ((1 − h_t²) ⊙ ∂L/∂h_t) Whᵀ. Returns {dh (T, H), norm (T,)}.
 */
export function rnnGradientNorms(x, Wx, Wh, b) {
  const T = x.length, H = Wh.length, hs = [];
  let h = [new Array(H).fill(0)];
  for (let t = 0; t < T; t++) { h = rnnStepForward([x[t]], h, Wx, Wh, b); hs.push(h[0]); }
  const dh = new Array(T);
  let d = new Array(H).fill(1 / Math.sqrt(H));
  for (let t = T - 1; t >= 0; t--) {
    dh[t] = d;
    const da = d.map((v, q) => v * (1 - hs[t][q] ** 2));
    d = vecMatT(da, Wh);
  }
  return { dh, norm: dh.map(l2) };
}

/**
 * ∂L/∂h_t and ∂L/∂c_t of an LSTM for L = u · h_T, h_0 = c_0 = 0 (as
 * lstm_viz.trace.trace_lstm_gradients). x (T, D), Wx (D, 4H), Wh (H, 4H), b (4H,).
 * Returns {dh (T, H), dc (T, H), norm (T,)}, norm = ‖∂L/∂h_t‖₂.
 */
export function lstmGradientNorms(x, Wx, Wh, b) {
  const T = x.length, H = Wh.length, steps = [];
  let h = [new Array(H).fill(0)], c = [new Array(H).fill(0)];
  for (let t = 0; t < T; t++) {
    const s = lstmStepForward([x[t]], h, c, Wx, Wh, b);
    steps.push({ prev_c: c[0], i: s.i[0], f: s.f[0], g: s.g[0], o: s.o[0], tc: s.next_c[0].map(tanh) });
    h = s.next_h; c = s.next_c;
  }
  const dh = new Array(T), dc = new Array(T);
  let d_h = new Array(H).fill(1 / Math.sqrt(H)), d_c = new Array(H).fill(0);
  for (let t = T - 1; t >= 0; t--) {
    dh[t] = d_h; dc[t] = d_c;
    const { prev_c, i, f, g, o, tc } = steps[t];
    const dcell = d_c.map((v, q) => v + d_h[q] * o[q] * (1 - tc[q] ** 2));
    const da = [
      ...dcell.map((v, q) => v * g[q] * i[q] * (1 - i[q])),
      ...dcell.map((v, q) => v * prev_c[q] * f[q] * (1 - f[q])),
      ...dcell.map((v, q) => v * i[q] * (1 - g[q] ** 2)),
      ...d_h.map((v, q) => v * tc[q] * o[q] * (1 - o[q])),
    ];
    d_h = vecMatT(da, Wh);
    d_c = dcell.map((v, q) => v * f[q]);
  }
  return { dh, dc, norm: dh.map(l2) };
}
