// Loaded on every page of the course site, before the theme's deferred scripts.

// The theme's FontAwesome script replaces <i> icons by <svg>; ipywidgets' Play
// button then fails to set its icon class and never advances. 'nest' keeps the <i>.
window.FontAwesomeConfig = { autoReplaceSvg: 'nest' };

// A first visit has no stored colour mode, and the theme logs a console error
// about the empty value before falling back to "auto"; start from "auto" instead.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = 'auto';
}

// Chromium keeps drawing empty boxes for Korean text it shaped before its Noto Sans KR
// file arrived (seen on the glossary's bold headers and first row), even once the file
// has loaded. A new font description makes it shape that text again; switching off a
// character variant that is off anyway is invisible, and a fresh one each time avoids
// falling back on an already-cached description.
let gbgFontLoads = 0;
document.fonts.addEventListener('loadingdone', () => {
  gbgFontLoads = gbgFontLoads % 99 + 1;
  document.documentElement.style.fontFeatureSettings =
    `"cv${String(gbgFontLoads).padStart(2, '0')}" 0`;
});
