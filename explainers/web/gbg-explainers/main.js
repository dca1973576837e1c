// Entry point, loaded as a module script only by pages that hold an explainer: mounts
// every element <div class="gbg-explainer" data-explainer="KIND" data-options="{...}">.
import { mount } from './ui.js';

/** Explainer kind -> the module that defines it (loaded only when a page uses it). */
export const KINDS = {
  rnn_sequence: './rnn.js',
  gradient_flow: './gradients.js',
  gate: './gate.js',
  forget_gate: './steps.js',
  input_gate: './steps.js',
  update_cell: './steps.js',
  output_gate: './steps.js',
  lstm_sequence: './lstm-sequence.js',
};

async function mountAll() {
  for (const root of document.querySelectorAll('.gbg-explainer[data-explainer]')) {
    const kind = root.dataset.explainer;
    if (!(kind in KINDS)) {
      root.textContent = `Unknown explainer "${kind}" (known: ${Object.keys(KINDS).join(', ')})`;
      continue;
    }
    const module = await import(KINDS[kind]);
    const options = JSON.parse(root.dataset.options || '{}');
    // A trained model's weights, written into the page at build time by the directive.
    const model = root.querySelector('script.gbg-explainer-model');
    if (model) options.model = JSON.parse(model.textContent);
    mount(root, module[kind], options);
  }
}

mountAll();
