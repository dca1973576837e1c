// A small seeded generator, so every reader (and every test) sees the same
// "random" weights for a given seed: mulberry32 for uniforms, Box-Muller for normals.

export function uniforms(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A (rows, cols) matrix of independent N(0, 1) numbers from `seed`. */
export function normalMatrix(rows, cols, seed) {
  const u = uniforms(seed), out = [];
  for (let r = 0; r < rows; r++) {
    const row = [];
    for (let c = 0; c < cols; c++) {
      const u1 = 1 - u(), u2 = u();  // u1 in (0, 1], so the log is finite
      row.push(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    out.push(row);
  }
  return out;
}
