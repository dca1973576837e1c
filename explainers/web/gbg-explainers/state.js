// An explainer's state in the page's URL hash, TensorFlow Playground-style: opening
// the link restores the same view. Each explainer on a page owns the keys
// "<id>.<input name>"; only inputs that differ from the defaults are written.
// Numbers are written with String(), which round-trips every float64 exactly;
// arrays are flattened (row-major, comma-separated) and reshaped from the defaults.

const flat = (a) => (Array.isArray(a) ? a.flatMap(flat) : [a]);

/** The shape of a nested array ([] for a number). */
export function shapeOf(a) {
  return Array.isArray(a) ? [a.length, ...(a.length ? shapeOf(a[0]) : [])] : [];
}

/** Row-major values -> nested array of `shape`. */
export function reshape(values, shape) {
  if (!shape.length) return values[0];
  const [n, ...rest] = shape, size = rest.reduce((p, k) => p * k, 1), out = [];
  for (let k = 0; k < n; k++) out.push(reshape(values.slice(k * size, (k + 1) * size), rest));
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** One value as URL text: a string as it is, a number or an array of numbers comma-separated. */
export function encodeValue(v) {
  return typeof v === 'string' ? v : flat(v).map(String).join(',');
}

/**
 * URL text -> a value shaped like `like` (the default), or throws an Error naming
 * the problem (wrong count, not a number). Strings pass through. `growAxis`: the
 * axis whose length may differ from the default's (a sequence's T), or undefined.
 */
export function decodeValue(text, like, growAxis) {
  if (typeof like === 'string') return text;
  const shape = shapeOf(like), parts = text === '' ? [] : text.split(',');
  if (growAxis !== undefined) {
    const rest = shape.reduce((p, k, a) => (a === growAxis ? p : p * k), 1);
    if (parts.length === 0 || parts.length % rest) {
      throw new Error(`expected a multiple of ${rest} numbers, got ${parts.length}`);
    }
    shape[growAxis] = parts.length / rest;
  }
  const want = shape.reduce((p, k) => p * k, 1);
  if (parts.length !== want) {
    throw new Error(`expected ${want} numbers for shape (${shape.join(', ')}), got ${parts.length}`);
  }
  const values = parts.map((p) => {
    const v = Number(p);
    if (p.trim() === '' || !Number.isFinite(v)) throw new Error(`not a finite number: ${JSON.stringify(p)}`);
    return v;
  });
  return reshape(values, shape);
}

/** [[key, text], ...] for the inputs of explainer `id` that differ from `defaults`. */
export function encodeState(id, inputs, defaults) {
  return Object.keys(defaults)
    .filter((name) => !same(inputs[name], defaults[name]))
    .map((name) => [`${id}.${name}`, encodeValue(inputs[name])]);
}

/**
 * The inputs of explainer `id` found in `params` (URLSearchParams), decoded against
 * `defaults` (`growable`: input name -> the axis that may change length). Returns {inputs, problems}: entries that fail to decode are left out
 * and described in `problems`, so a damaged link still opens the rest of the view.
 */
export function decodeState(id, params, defaults, growable = {}) {
  const inputs = {}, problems = [];
  for (const [key, text] of params) {
    if (!key.startsWith(`${id}.`)) continue;
    const name = key.slice(id.length + 1);
    if (!(name in defaults)) { problems.push(`${key}: no such input`); continue; }
    try {
      inputs[name] = decodeValue(text, defaults[name], growable[name]);
    } catch (err) {
      problems.push(`${key}: ${err.message}`);
    }
  }
  return { inputs, problems };
}

/** A URL hash ("#a.x=1&b.y=2" or "") as URLSearchParams. */
export function parseHash(hash) {
  return new URLSearchParams(hash.replace(/^#/, ''));
}

/**
 * The hash with explainer `id`'s keys replaced by `entries`; other explainers' keys
 * ("<id>.<name>") are kept, anything else (a heading's anchor) is dropped.
 */
export function withState(hash, id, entries) {
  const params = parseHash(hash);
  for (const key of [...params.keys()]) if (key.startsWith(`${id}.`) || !key.includes('.')) params.delete(key);
  for (const [key, text] of entries) params.append(key, text);
  const s = params.toString();
  return s ? `#${s}` : '';
}
