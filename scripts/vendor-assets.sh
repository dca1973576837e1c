#!/usr/bin/env bash
# Fetches the scripts and fonts the course website loads (the widget manager and
# its icon fonts, MathJax's fonts, and the Korean web font) from the npm
# registry, at the exact versions in package-lock.json, and copies what the
# pages load into _vendor/.
# Sphinx publishes _vendor/ as the site's _static/ (html_static_path in
# _config.yml), so no page ever loads a script from a CDN.
# Idempotent and quick: npm runs only when node_modules is missing or was
# fetched from another lockfile, and the copy only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
npm_stamp=node_modules/.gbg-lock.sha256
vendor_stamp=_vendor/.gbg-lock.sha256

if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$lock_hash" ]; then
    command -v npm >/dev/null 2>&1 || {
        echo "vendor-assets: npm is missing; install Node.js (Debian: apt-get install nodejs npm)" >&2
        exit 1
    }
    # The packages package.json names, each from its own tarball at the version and with the
    # integrity package-lock.json pins, unpacked into node_modules/<name>; not their
    # dependencies. The site uses files of these packages only (the widget manager's bundle,
    # MathJax, the Korean font), none of their dependencies: `npm ci` installed all 133
    # packages of their trees (204 MB) for about 30 CPU-s, this takes about 7.
    echo "vendor-assets: fetching the npm packages (package-lock.json changed or node_modules missing)"
    tarballs=$(mktemp -d)
    trap 'rm -rf "$tarballs"' EXIT
    mapfile -t pinned < <(node -e '
        const deps = Object.keys(require("./package.json").dependencies || {});
        const lock = require("./package-lock.json").packages || {};
        for (const name of deps) {
            const entry = lock["node_modules/" + name];
            if (!entry || !entry.version || !entry.integrity) {
                console.error(`vendor-assets: package-lock.json pins no version and integrity for ${name}: run npm install`);
                process.exit(1);
            }
            console.log(`${name} ${entry.version} ${entry.integrity}`);
        }')
    specs=()
    for line in "${pinned[@]}"; do read -r name version _ <<< "$line"; specs+=("$name@$version"); done
    (cd "$tarballs" && npm pack --silent --loglevel=error "${specs[@]}" > /dev/null)
    rm -rf node_modules
    for line in "${pinned[@]}"; do
        read -r name version integrity <<< "$line"
        tarball="$tarballs/$(echo "${name#@}" | tr / -)-$version.tgz"
        got="sha512-$(node -e 'const fs = require("fs"), crypto = require("crypto");
            process.stdout.write(crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' \
            "$tarball")"
        if [ "$got" != "$integrity" ]; then
            echo "vendor-assets: $name@$version: the tarball's integrity $got is not package-lock.json's $integrity" >&2
            exit 1
        fi
        mkdir -p "node_modules/$name"
        tar xzf "$tarball" --strip-components=1 -C "node_modules/$name"
    done
    echo "$lock_hash" > "$npm_stamp"
fi

if [ -f "$vendor_stamp" ] && [ "$(cat "$vendor_stamp")" = "$lock_hash" ] \
        && [ scripts/vendor-assets.sh -ot "$vendor_stamp" ]; then
    exit 0
fi

echo "vendor-assets: copying the site's scripts and fonts into _vendor/"
rm -rf _vendor.tmp
mkdir -p _vendor.tmp/jupyter-widgets _vendor.tmp/mathjax/es5

# The widget manager: embed.js renders saved widget state without require.js;
# it loads its icon fonts from next to itself (webpack's automatic public path).
widgets=node_modules/@jupyter-widgets/html-manager/dist
cp "$widgets"/embed.js "$widgets"/embed.js.LICENSE.txt _vendor.tmp/jupyter-widgets/
cp "$widgets"/*.woff2 "$widgets"/*.woff "$widgets"/*.ttf "$widgets"/*.eot "$widgets"/*.svg \
   _vendor.tmp/jupyter-widgets/

# MathJax's CommonHTML fonts, where its output looks for them ([mathjax]/output/chtml/
# fonts/woff-v2). Its scripts stay in node_modules: the math is typeset at build time
# (book/_ext/gbg_math.py, scripts/typeset-math.cjs) and no page loads MathJax.
mj=node_modules/mathjax
fonts=es5/output/chtml/fonts/woff-v2
cp "$mj"/LICENSE _vendor.tmp/mathjax/
mkdir -p "_vendor.tmp/mathjax/$(dirname "$fonts")"
cp -r "$mj/$fonts" "_vendor.tmp/mathjax/$fonts"

# Noto Sans KR, so the glossary's Korean renders on machines without a Korean
# font. Regular and bold only, as Fontsource publishes them: about 120 small
# woff2 slices per weight, each with a unicode-range, so a page downloads only
# the slices holding the syllables it shows (a few tens of KB, not 0.5 MB).
# The CSS also names .woff fallbacks for browsers without woff2; they are not
# copied (every browser the site supports reads woff2).
kr=node_modules/@fontsource/noto-sans-kr
mkdir -p _vendor.tmp/noto-sans-kr/files
cp "$kr"/LICENSE "$kr"/400.css "$kr"/700.css _vendor.tmp/noto-sans-kr/
grep -ho 'files/[^)]*\.woff2' "$kr"/400.css "$kr"/700.css | sort -u \
    | while read -r font; do cp "$kr/$font" _vendor.tmp/noto-sans-kr/files/; done

echo "$lock_hash" > _vendor.tmp/.gbg-lock.sha256
rm -rf _vendor
mv _vendor.tmp _vendor
