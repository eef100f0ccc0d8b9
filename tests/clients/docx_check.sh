#!/usr/bin/env bash
# DOCX checks with real clients, for .ci/run: LibreOffice converts every fixture's DOCX to PDF
# (the conversion must succeed, the page count must equal tongbao's own PDF when one lies beside
# the DOCX, body lines hold 28 characters, the 版记's rules and lines sit where GB/T 9704 puts
# them), and python-docx must open each file and see its
# tables with their merged cells. See docx_check.py for the details of each check.
#
# usage: tests/clients/docx_check.sh [FILE.docx...]
#   without arguments: writes the fixtures' DOCX files (cargo test --test docx_golden and
#   --test docx_structure put them in target/docx-samples/) and checks all of them.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    # This image deletes downloaded .deb files after each dpkg run: keep them in a scratch dir.
    apt-get install -y -qq -o Dir::Cache::archives="$(mktemp -d)" \
      libreoffice-writer poppler-utils >/dev/null
  else
    echo "docx_check: soffice (libreoffice-writer) and pdftotext (poppler-utils) are needed" >&2
    exit 1
  fi
fi
# python-docx goes into the clients' virtual environment (shared with publish_check.sh), never
# into the system Python.
venv=target/clients-venv
if ! "$venv/bin/python" -c "import docx" 2>/dev/null; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q python-docx==1.2.0
fi
# pdfminer.six finds the 版记's rules on LibreOffice's pages.
if ! "$venv/bin/python" -c "import pdfminer" 2>/dev/null; then
  "$venv/bin/pip" install -q pdfminer.six==20260107
fi

if [ "$#" -eq 0 ]; then
  cargo test -q --test docx_golden --test docx_structure --test docx_agrees >/dev/null
  set -- target/docx-samples/*.docx
fi
exec "$venv/bin/python" tests/clients/docx_check.py --fonts fonts "$@"
