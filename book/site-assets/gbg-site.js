// Loaded on every page of the course site, before the theme's deferred scripts.

// The theme's FontAwesome script replaces <i> icons by <svg>; ipywidgets' Play
// button then fails to set its icon class and never advances. 'nest' keeps the <i>.
window.FontAwesomeConfig = { autoReplaceSvg: 'nest' };

// A first visit has no stored colour mode, and the theme logs a console error
// about the empty value before falling back to "auto"; start from "auto" instead.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = 'auto';
}
