#!/usr/bin/env bash
# Spreadsheet checks with real clients, for .ci/run (issue 14, item 8): LibreOffice Calc makes
# .xlsx and .ods from a CSV the script writes, openpyxl writes a platform-style workbook; each
# imported renders as its YAML twin and drafts with `init --items`; our exported workbooks
# are read back by openpyxl and by LibreOffice (--convert-to csv) and compared cell by cell.
# See xlsx_check.py. Installs what it needs: Debian's libreoffice-calc, and openpyxl and
# PyYAML into target/xlsx-venv (not the system Python).
#
# usage: tests/clients/xlsx_check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v soffice >/dev/null || ! dpkg -s libreoffice-calc >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    # This image deletes downloaded .deb files after each dpkg run: keep them in a scratch dir.
    apt-get install -y -qq -o Dir::Cache::archives="$(mktemp -d)" libreoffice-calc >/dev/null
  else
    echo "xlsx_check: soffice with Calc (Debian package libreoffice-calc) is needed" >&2
    exit 1
  fi
fi
venv=target/xlsx-venv
if ! "$venv/bin/python" -c "import openpyxl, yaml" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openpyxl==3.1.5 PyYAML==6.0.3
fi

cargo build -q
exec "$venv/bin/python" tests/clients/xlsx_check.py check
