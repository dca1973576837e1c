// The layer every explainer shares: its inputs as state (kept in the URL hash),
// controls bound to that state (number grids, sliders, text), coloured value
// strips, a reset button, and the scripting API on the root element:
//   el.gbg.get() -> {inputs, outputs}      el.gbg.set(partialInputs)
// A kind supplies defaults(options), compute(inputs, options) and build(view, options),
// which lays out its controls and returns render(inputs, outputs).
import { decodeState, encodeState, parseHash, shapeOf, withState } from './state.js';
import { colourFor, fmt } from './style.js';
import { t } from './strings.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const URL_DELAY_MS = 150;
const copy = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** A new element (HTML, or SVG when `tag` starts with "svg:") with attributes, appended to `parent`. */
export function el(tag, attrs = {}, parent = null, text = null) {
  const svg = tag.startsWith('svg:');
  const node = svg ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function checkValue(name, value, like, growAxis) {
  if (typeof like === 'string') {
    if (typeof value !== 'string') throw new Error(`${name}: expected a string, got ${typeof value}`);
    return;
  }
  const want = shapeOf(like), got = shapeOf(value);
  const ok = got.length === want.length && got.every((k, a) => k === want[a] || (a === growAxis && k >= 1));
  if (!ok) throw new Error(`${name}: expected shape (${want.join(', ')}), got (${got.join(', ')})`);
  const bad = JSON.stringify(value).match(/null|NaN|"/);
  if (bad || [value].flat(9).some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`${name}: expected finite numbers`);
  }
}

/** Mounts explainer `spec` on `root`; `options` come from the directive (data-options). */
export function mount(root, spec, options = {}) {
  const id = root.id || spec.kind;
  const defaults = spec.defaults(options);
  const growable = spec.growable ?? {};  // input name -> the axis that may change length
  const clamp = spec.clamp ?? ((inputs) => inputs);
  let inputs = copy(defaults), outputs = null;
  const syncers = [];

  root.classList.add('gbg-explainer');
  root.dataset.explainer = spec.kind;
  // The data the directive embedded (a trained model) stays in the page for scripts to read.
  root.replaceChildren(...root.querySelectorAll(':scope > script[type="application/json"]'));
  const bar = el('div', { class: 'gbg-bar' }, root);
  el('span', { class: 'gbg-share' }, bar, t('share'));
  const reset = el('button', { type: 'button', class: 'gbg-reset', title: t('resetHint') }, bar, t('reset'));
  const body = el('div', { class: 'gbg-body' }, root);

  function validate(partial) {
    if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
      throw new Error(`${spec.kind}.set: expected an object of inputs, got ${JSON.stringify(partial)}`);
    }
    for (const [name, value] of Object.entries(partial)) {
      if (!(name in defaults)) {
        throw new Error(`${spec.kind}.set: no input named ${JSON.stringify(name)} (inputs: ${Object.keys(defaults).join(', ')})`);
      }
      checkValue(name, value, defaults[name], growable[name]);
    }
  }

  // The link follows the state a moment after the last change: browsers throttle
  // history.replaceState when it is called on every key repeat.
  let urlTimer = null;
  function writeUrl() {
    urlTimer = null;
    const hash = withState(location.hash, id, encodeState(id, inputs, defaults));
    if (hash !== location.hash) history.replaceState(history.state, '', hash || location.pathname + location.search);
  }

  function update({ toUrl = true } = {}) {
    const start = performance.now();
    inputs = clamp(inputs, options);
    outputs = spec.compute(inputs, options);
    root.dataset.computeMs = (performance.now() - start).toFixed(3);
    render(inputs, outputs);
    // Every control shows the state; a field being typed in keeps what the reader typed.
    for (const s of syncers) s.sync(inputs);
    root.dataset.updateMs = (performance.now() - start).toFixed(3);
    if (toUrl) {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeUrl, URL_DELAY_MS);
    }
  }

  function setInputs(partial) {
    validate(partial);
    inputs = { ...inputs, ...copy(partial) };
    update();
  }

  const view = {
    root, body, el, options, t,
    get inputs() { return inputs; },
    /** Changes some inputs as a control would (redraws at once). */
    change: (partial) => setInputs(partial),
    /** Registers a control's refresh from the state (called after every change). */
    bind: (sync) => syncers.push({ sync }),
    section: (title, parent = body, cls = '') => {
      const box = el('div', { class: `gbg-section ${cls}`.trim() }, parent);
      if (title) el('div', { class: 'gbg-section-title' }, box, title);
      return box;
    },
    numberGrid: (name, label, parent, opts) => numberGrid(view, name, label, parent, opts),
    slider: (name, label, parent, opts) => slider(view, name, label, parent, opts),
    textInput: (name, label, parent, opts) => textInput(view, name, label, parent, opts),
    strip: (name, label, parent) => strip(name, label, parent),
  };
  const render = spec.build(view, options);

  reset.addEventListener('click', () => { inputs = copy(defaults); update(); });
  const fromUrl = () => {
    const { inputs: found, problems } = decodeState(id, parseHash(location.hash), defaults, growable);
    for (const p of problems) console.warn(`gbg explainer ${id}: ignoring ${p}`);
    const ok = {};
    for (const [k, v] of Object.entries(found)) {
      try { checkValue(k, v, defaults[k], growable[k]); ok[k] = v; } catch (err) { console.warn(`gbg explainer ${id}: ignoring ${err.message}`); }
    }
    inputs = { ...copy(defaults), ...ok };
    update({ toUrl: false });
  };
  // A link to a heading (#section) moves the page; only a hash holding state changes the view.
  window.addEventListener('hashchange', () => { if (location.hash.includes('=')) fromUrl(); });
  fromUrl();

  root.gbg = {
    get: () => ({ inputs: copy(inputs), outputs: copy(outputs) }),
    set: (partial) => setInputs(partial),
    reset: () => reset.click(),
    defaults: () => copy(defaults),
  };
  root.dataset.ready = 'true';
  return root.gbg;
}

// ------------------------------------------------------------------ controls

function getAt(a, path) { return path.reduce((v, k) => v[k], a); }

function setAt(a, path, value) {
  const out = copy(a);
  if (!path.length) return value;
  getAt(out, path.slice(0, -1))[path.at(-1)] = value;
  return out;
}

/** Arrow up/down change a number field by `step` (Page up/down by ten steps), rounded to the step. */
function stepNumber(value, key, step) {
  const k = { ArrowUp: 1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[key];
  if (k === undefined) return null;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number((value + k * step).toFixed(decimals));
}

/**
 * One editable number per entry of input `name` (a vector, a (1, H) row or a matrix),
 * laid out as the array is. opts: {step, min, max, rowLabels, colLabels}.
 */
function numberGrid(view, name, label, parent, opts = {}) {
  const step = opts.step ?? 0.1;
  const box = el('div', { class: 'gbg-control gbg-grid-control' }, parent);
  el('div', { class: 'gbg-label' }, box, label);
  const grid = el('div', { class: 'gbg-grid', role: 'group', 'aria-label': label }, box);
  const fields = [];
  const value = view.inputs[name];
  const rows = Array.isArray(value[0]) ? value.length : 1;
  const colsN = Array.isArray(value[0]) ? value[0].length : value.length;
  grid.style.gridTemplateColumns = `repeat(${colsN}, minmax(3.2em, 4.4em))`;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < colsN; c++) {
      const path = Array.isArray(value[0]) ? [r, c] : [c];
      const input = el('input', {
        type: 'number', step: 'any', inputmode: 'decimal', class: 'gbg-number',
        'data-input': name, 'data-index': path.join(','),
        'aria-label': `${label} [${path.join(', ')}]`,
      }, grid);
      if (opts.min !== undefined) input.min = opts.min;
      if (opts.max !== undefined) input.max = opts.max;
      const commit = (v) => view.change({ [name]: setAt(view.inputs[name], path, v) });
      input.addEventListener('input', () => {
        const v = Number(input.value);
        const ok = input.value.trim() !== '' && Number.isFinite(v);
        input.setAttribute('aria-invalid', ok ? 'false' : 'true');
        if (ok) commit(v);
      });
      input.addEventListener('keydown', (ev) => {
        const v = stepNumber(getAt(view.inputs[name], path), ev.key, step);
        if (v === null) return;
        ev.preventDefault();
        const clamped = Math.min(opts.max ?? Infinity, Math.max(opts.min ?? -Infinity, v));
        input.value = String(clamped);
        commit(clamped);
      });
      input.addEventListener('blur', () => { input.value = String(getAt(view.inputs[name], path)); });
      fields.push({ input, path });
    }
  }
  const sync = (inputs) => {
    for (const f of fields) {
      const v = String(getAt(inputs[name], f.path));
      if (f.input.value !== v && document.activeElement !== f.input) f.input.value = v;
    }
  };
  sync(view.inputs);
  view.bind(sync);
  return box;
}

/** A range slider for a scalar input, with its value printed beside it. opts: {min, max, step, format}. */
function slider(view, name, label, parent, opts) {
  const box = el('label', { class: 'gbg-control gbg-slider-control' }, parent);
  el('span', { class: 'gbg-label' }, box, label);
  const input = el('input', {
    type: 'range', min: opts.min, max: opts.max, step: opts.step ?? 'any',
    class: 'gbg-slider', 'data-input': name, 'aria-label': label,
  }, box);
  const readout = el('output', { class: 'gbg-readout', 'data-readout': name }, box);
  const format = opts.format ?? ((v) => String(v));
  input.addEventListener('input', () => view.change({ [name]: Number(input.value) }));
  const sync = (inputs) => {
    if (Number(input.value) !== inputs[name]) input.value = String(inputs[name]);
    readout.textContent = format(inputs[name]);
  };
  view.bind(sync);
  sync(view.inputs);
  return input;
}

/**
 * A text field for input `name`. opts.parse(text) -> partial inputs, or throws an
 * Error whose message is shown; opts.format(inputs) -> the text shown.
 */
function textInput(view, name, label, parent, opts) {
  const box = el('label', { class: 'gbg-control gbg-text-control' }, parent);
  el('span', { class: 'gbg-label' }, box, label);
  const input = el('input', {
    type: 'text', class: 'gbg-text', 'data-input': name, spellcheck: 'false',
    autocomplete: 'off', 'aria-label': label, placeholder: opts.hint ?? '',
  }, box);
  const problem = el('span', { class: 'gbg-problem', role: 'status' }, box);
  input.addEventListener('input', () => {
    let partial;
    try {
      partial = opts.parse(input.value);
    } catch (err) {
      problem.textContent = t('badSequence') + err.message;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    problem.textContent = '';
    input.setAttribute('aria-invalid', 'false');
    view.change(partial);
  });
  const sync = (inputs) => {
    if (document.activeElement === input) return;
    input.value = opts.format(inputs);
    problem.textContent = '';
  };
  view.bind(sync);
  sync(view.inputs);
  return input;
}

/** A labelled row of coloured cells for a vector output; update(values, kind, limit). */
function strip(name, label, parent) {
  const row = el('div', { class: 'gbg-strip', 'data-output': name }, parent);
  el('span', { class: 'gbg-label' }, row, label);
  const cells = el('span', { class: 'gbg-cells' }, row);
  return {
    row,
    update(values, kind = 'value', limit = 1) {
      while (cells.children.length < values.length) el('span', { class: 'gbg-cell' }, cells);
      while (cells.children.length > values.length) cells.lastChild.remove();
      values.forEach((v, k) => {
        const cell = cells.children[k], { fill, ink } = colourFor(v, kind, limit);
        cell.textContent = fmt(v);
        cell.dataset.value = String(v);
        cell.style.background = fill;
        cell.style.color = ink;
      });
    },
  };
}

/** The smallest of 1, 2, 5, 10, 20, ... at least max |v| over `arrays`: a symmetric colour limit. */
export function colourLimit(...arrays) {
  const m = Math.max(0, ...arrays.flat(9).map(Math.abs).filter(Number.isFinite));
  for (let k = 0; k < 300; k++) for (const base of [1, 2, 5]) if (base * 10 ** k >= m) return base * 10 ** k;
  return Infinity;
}
