#!/usr/bin/env node
// Typesets the math of built HTML pages at build time, as MathJax would in the reader's
// browser, so that no page loads MathJax (book/_ext/gbg_math.py runs this after each
// edition's Sphinx build, one process for all of that edition's pages).
//
//   node scripts/typeset-math.cjs LOADER PAGE.html...
//
// LOADER is Sphinx's `mathjax_path` (mathjax/es5/tex-mml-chtml.js). A page is typeset only
// if it still loads that script: Sphinx writes the script into every page with math it
// (re)writes, and this step takes it out, so a page typeset by an earlier build is left
// alone and a page Sphinx wrote again is typeset again.
//
// Same MathJax as the browser had: the es5 components of the vendored `mathjax` package
// (package-lock.json), the TeX input with the packages of the tex-mml-chtml combined
// component (autoload included), MathML input, CommonHTML output with the assistive
// MathML for screen readers, and the page's own configuration (the `window.MathJax = ...`
// script Sphinx writes: which classes are processed). Two differences, both deliberate:
//  - the size: the browser measures the surrounding text's x-height and scales each
//    formula to it (matchFontHeight); here one CSS rule does the same for every formula,
//    `font-size: calc(1ex / x_height)` (in font-size, 1ex is the parent's x-height), so
//    math still follows the reader's own font, hidden quiz feedback included;
//  - no context menu (Show Math As, zoom): it is part of MathJax's runtime.
// The CHTML fonts are the vendored woff files, next to where the script was
// ([mathjax]/output/chtml/fonts/woff-v2, as the browser resolved them).
//
// A formula MathJax cannot typeset (a TeX error) fails the step: its page is not
// written, and the error names the page and the TeX.
'use strict';
const fs = require('fs');
const path = require('path');

const FONT_DIR = 'output/chtml/fonts/woff-v2';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The loader's <script> tag (its src: the relative path to the site root, the loader, a
// cache-busting query) and Sphinx's configuration script before it.
function pagePattern(loader) {
  return {
    script: new RegExp(`<script\\b[^>]*\\ssrc="([^"]*?${escapeRegExp(loader)})(?:\\?[^"]*)?"[^>]*>\\s*</script>\\n?`),
    config: /<script>\s*window\.MathJax\s*=\s*(\{.*?\})\s*;?\s*<\/script>\n?/s,
  };
}

// What a page asks of MathJax: `{options, tex, chtml}` of its configuration script.
const PAGE_CONFIG_KEYS = new Set(['options', 'tex', 'chtml']);

function pageConfig(json, file) {
  let config;
  try {
    config = JSON.parse(json);
  } catch (err) {
    throw new Error(`${file}: its window.MathJax configuration is not JSON (${err.message})`);
  }
  for (const key of Object.keys(config)) {
    if (!PAGE_CONFIG_KEYS.has(key)) {
      throw new Error(`${file}: window.MathJax.${key} is not supported at build time ` +
                      `(only ${[...PAGE_CONFIG_KEYS].join(', ')}): scripts/typeset-math.cjs`);
    }
  }
  return config;
}

async function loadMathJax() {
  return require('mathjax').init({
    // The parts of tex-mml-chtml.js that shape the output (its menu needs a browser).
    loader: {load: ['input/tex', 'input/mml', 'output/chtml', 'a11y/assistive-mml']},
    // One measure for every formula (see above): no per-formula inline font-size.
    chtml: {matchFontHeight: false},
    startup: {typeset: false},
  });
}

// Typesets one page's HTML; returns {html, formulas, errors} (html null: nothing to do).
async function typesetPage(MathJax, text, file, loader) {
  const pattern = pagePattern(loader);
  const script = text.match(pattern.script);
  if (!script) return {html: null, formulas: 0, errors: []};
  const fontURL = path.posix.join(path.posix.dirname(script[1]), FONT_DIR);
  const configMatch = text.match(pattern.config);
  const config = configMatch ? pageConfig(configMatch[1], file) : {};
  const source = text.replace(pattern.script, '').replace(pattern.config, '');

  const errors = [];
  const {startup, config: defaults} = MathJax;
  const TeXFont = defaults.chtml.font.constructor;
  const tex = new startup.constructors.tex({
    ...defaults.tex, ...config.tex,
    formatError(jax, err) {
      errors.push(err.message);
      return jax.formatError(err);
    },
  });
  const mml = new startup.constructors.mml(defaults.mml || {});
  // A new font per page: CHTML writes the CSS of the characters a page uses (adaptiveCSS).
  const chtmlOptions = {...defaults.chtml, ...config.chtml, fontURL};
  const chtml = new startup.constructors.chtml({...chtmlOptions, font: new TeXFont({fontURL})});
  const mathjax = MathJax._.mathjax.mathjax;
  const doc = mathjax.document(source, {
    ...defaults.options, ...config.options, InputJax: [tex, mml], OutputJax: chtml,
  });
  await mathjax.handleRetriesFor(() => doc.render());   // autoloaded TeX packages load first
  const formulas = Array.from(doc.math).length;
  const adaptor = startup.adaptor;
  if (formulas) {
    // The size rule (see above), after CHTML's own rules for the container.
    const rule = `\nmjx-container[jax="CHTML"] {\n  font-size: calc(1ex / ${chtml.font.params.x_height});\n}\n`;
    adaptor.append(chtml.chtmlStyles, adaptor.text(rule));
  } else if (chtml.chtmlStyles) {
    adaptor.remove(chtml.chtmlStyles);
  }
  const html = `${adaptor.doctype(doc.document)}\n${adaptor.outerHTML(adaptor.root(doc.document))}\n`;
  return {html, formulas, errors};
}

async function main(argv) {
  const [loader, ...files] = argv;
  if (!loader || !files.length) {
    console.error('usage: node scripts/typeset-math.cjs MATHJAX_PATH PAGE.html...');
    return 2;
  }
  const MathJax = await loadMathJax();
  let pages = 0;
  let formulas = 0;
  let skipped = 0;
  const failed = [];
  for (const file of files) {
    const result = await typesetPage(MathJax, fs.readFileSync(file, 'utf8'), file, loader);
    if (result.html === null) {
      skipped += 1;
      continue;
    }
    if (result.errors.length) {
      failed.push(...result.errors.map((message) => `${file}: ${message}`));
      continue;
    }
    const tmp = `${file}.typeset-tmp`;
    fs.writeFileSync(tmp, result.html);
    fs.renameSync(tmp, file);
    pages += 1;
    formulas += result.formulas;
  }
  console.log(`typeset-math: ${formulas} formulas in ${pages} pages (${skipped} needed nothing)`);
  if (failed.length) {
    console.error(`typeset-math: MathJax could not typeset:\n  ${failed.join('\n  ')}`);
    return 1;
  }
  return 0;
}

module.exports = {loadMathJax, typesetPage, pagePattern};

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(`typeset-math: ${err.stack || err}`);
    process.exit(1);
  });
}
