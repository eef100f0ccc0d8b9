#!/usr/bin/env bash
# Benchmark tongbao against the ways offices build a 通报 today, on one fixture:
# python-docx (DOCX) + LibreOffice (DOCX -> PDF), and Typst (PDF).
#
#   bench/peers/run.sh [FIXTURE.yaml]      (default fixtures/city-large.yaml)
#
# RUNS=N runs each step N times (default 3); TONGBAO=PATH uses that binary instead of building.
#
# Installs what it needs (Debian packages, a venv under $TMPDIR), builds tongbao, runs each
# step RUNS times and prints a Markdown table. Outputs go to ${TMPDIR:-/tmp}/tongbao-peers.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
fixture=$(realpath "${1:-$repo/fixtures/city-large.yaml}")
stem=$(basename "$fixture" .yaml)
runs=${RUNS:-3}
scratch=${TMPDIR:-/tmp}/tongbao-peers
venv=${TMPDIR:-/tmp}/tongbao-peers-venv
out=$scratch/out

# --- what it needs -------------------------------------------------------------------------
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer)
command -v pdfinfo >/dev/null || need+=(poppler-utils)
[ -x /usr/bin/time ] || need+=(time)
/usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3 python3-venv)
if ((${#need[@]})); then
  debs=$(mktemp -d) # this image deletes the apt cache after each dpkg run
  chmod 755 "$debs"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dir::Cache::archives="$debs" "${need[@]}"
  rm -rf "$debs"
fi
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check python-docx==1.2.0 typst==0.15.2
py=$venv/bin/python

# The repository's fonts, visible to LibreOffice through a private fontconfig file.
mkdir -p "$scratch/fontconfig"
cat >"$scratch/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>$scratch/fontconfig</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$repo/fonts</dir>
</fontconfig>
EOF
export FONTCONFIG_FILE=$scratch/fonts.conf
fc-cache "$repo/fonts"

if [ -n "${TONGBAO:-}" ]; then # a tongbao binary already built
  tongbao=$(realpath "$TONGBAO")
else
  (cd "$repo" && cargo build --release)
  tongbao=$repo/target/release/tongbao
fi

# --- the document, once: tongbao's Document IR, read by both peer builders --------------------
rm -rf "$out" "$scratch/times" && mkdir -p "$out"/{json,tongbao,tongbao-pdf,tongbao-docx,docx,typst} "$scratch/times"
log=$scratch/log.txt
: >"$log"
"$tongbao" render "$fixture" -o "$out/json" --format json >>"$log" 2>&1
json=$out/json/$stem.json
lo=(soffice --headless "-env:UserInstallation=file://$scratch/lo-profile" --convert-to pdf)

# measure NAME CMD...: run CMD $runs times; write "wall_ms max_rss_kib" lines to times/NAME.
measure() {
  local name=$1 t0 t1
  shift
  echo "measuring $name" >&2
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$scratch/rss" "$@" >>"$log" 2>&1
    t1=$(date +%s%N)
    echo "$(((t1 - t0) / 1000000)) $(tail -1 "$scratch/rss")" >>"$scratch/times/$name"
  done
}

measure tongbao "$tongbao" render "$fixture" -o "$out/tongbao" --format docx,pdf
measure tongbao-pdf "$tongbao" render "$fixture" -o "$out/tongbao-pdf" --format pdf
measure tongbao-docx "$tongbao" render "$fixture" -o "$out/tongbao-docx" --format docx
measure python-docx "$py" "$here/build_docx.py" "$json" "$out/docx/$stem.docx"
"${lo[@]}" --outdir "$scratch" "$out/docx/$stem.docx" >>"$log" 2>&1 # makes the profile, untimed
measure libreoffice "${lo[@]}" --outdir "$out/docx" "$out/docx/$stem.docx"
measure typst-source "$py" "$here/build_typst.py" source "$json" "$out/typst/$stem.typ"
measure typst "$py" "$here/build_typst.py" compile "$out/typst/$stem.typ" "$out/typst/$stem.pdf"
measure typst-untagged "$py" "$here/build_typst.py" compile "$out/typst/$stem.typ" \
  "$out/typst/$stem-untagged.pdf" --no-pdf-tags
measure python-import-docx "$py" -c "import docx"
measure python-import-typst "$py" -c "import typst"

# --- report ------------------------------------------------------------------------------------
echo
echo "Fixture: ${fixture#"$repo"/}, $runs runs each, median wall time, largest max RSS."
echo "Versions: $("$tongbao" --version), python-docx $("$py" -c 'import importlib.metadata as m; print(m.version("python-docx"))')," \
  "typst (PyPI) $("$py" -c 'import typst; print(typst.__version__)'), $(soffice --version | cut -d' ' -f1-2)," \
  "$(pdfinfo -v 2>&1 | head -1), $(uname -m), $(nproc) cores"
echo
"$py" - "$scratch/times" "$out" "$stem" <<'EOF'
import re, statistics, subprocess, sys
from pathlib import Path

times, out, stem = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))

def run(name):
    rows = [line.split() for line in (times / name).read_text().splitlines()]
    return statistics.median(int(ms) for ms, _ in rows) / 1000, max(int(kb) for _, kb in rows) / 1024

# name, what was run, outputs as (file, the PDF whose pages count for it)
steps = [
    ("tongbao", "tongbao render --format docx,pdf",
     [(f"tongbao/{stem}.pdf", f"tongbao/{stem}.pdf"), (f"tongbao/{stem}.docx", None)]),
    ("tongbao-pdf", "tongbao render --format pdf", [(f"tongbao-pdf/{stem}.pdf",) * 2]),
    ("tongbao-docx", "tongbao render --format docx", [(f"tongbao-docx/{stem}.docx", None)]),
    ("python-docx", "build_docx.py (python-docx)", [(f"docx/{stem}.docx", f"docx/{stem}.pdf")]),
    ("libreoffice", "soffice --convert-to pdf (that DOCX)", [(f"docx/{stem}.pdf",) * 2]),
    ("typst-source", "build_typst.py source (JSON to .typ)", [(f"typst/{stem}.typ", None)]),
    ("typst", "build_typst.py compile (tagged, the default)", [(f"typst/{stem}.pdf",) * 2]),
    ("typst-untagged", "build_typst.py compile --no-pdf-tags",
     [(f"typst/{stem}-untagged.pdf",) * 2]),
    ("python-import-docx", "python -c 'import docx' (overhead only)", [("", None)]),
    ("python-import-typst", "python -c 'import typst' (overhead only)", [("", None)]),
]
print("| step | wall s | max RSS MiB | output | bytes | pages |")
print("|---|---:|---:|---|---:|---:|")
r = {}
for name, what, files in steps:
    wall, rss = r[name] = run(name)
    for i, (f, pdf) in enumerate(files):
        cells = (what, f"{wall:.3f}", f"{rss:.1f}") if i == 0 else ("", "", "")
        cells += (Path(f).suffix[1:], f"{(out / f).stat().st_size:,}" if f else "",
                  str(pages(out / pdf)) if pdf else "")
        print(f"| {' | '.join(cells)} |")

def size(f):
    return (out / f).stat().st_size

tb, tb_pdf = r["tongbao"], r["tongbao-pdf"]
lo_wall = r["python-docx"][0] + r["libreoffice"][0]
lo_rss = max(r["python-docx"][1], r["libreoffice"][1])
print()
print("Ratios (peer / tongbao; above 1 means tongbao is faster, leaner or smaller):")
print(f"- python-docx + LibreOffice vs tongbao docx,pdf: wall {lo_wall / tb[0]:.1f}x, "
      f"max RSS {lo_rss / tb[1]:.1f}x, PDF bytes {size(f'docx/{stem}.pdf') / size(f'tongbao/{stem}.pdf'):.2f}x, "
      f"DOCX bytes {size(f'docx/{stem}.docx') / size(f'tongbao/{stem}.docx'):.2f}x")
for name, label in (("typst", "tagged"), ("typst-untagged", "untagged")):
    pdf = f"typst/{stem}{'' if name == 'typst' else '-untagged'}.pdf"
    wall, rss = r[name]
    print(f"- Typst compile ({label}) vs tongbao pdf: wall {wall / tb_pdf[0]:.1f}x "
          f"({(wall + r['typst-source'][0]) / tb_pdf[0]:.1f}x with source generation), "
          f"max RSS {rss / tb_pdf[1]:.1f}x, PDF bytes {size(pdf) / size(f'tongbao-pdf/{stem}.pdf'):.2f}x")
EOF
echo
echo "Outputs in $out; command output in $log. Total time: ${SECONDS}s."
