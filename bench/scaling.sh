#!/usr/bin/env bash
# Time and peak memory of `tongbao render` (DOCX + PDF) at growing numbers of accounts, to show
# the cost grows linearly. Usage: bench/scaling.sh [ACCOUNTS...]  (default 1146 5000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/tongbao
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=5
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1146 5000 20000)

printf '| accounts | table rows | pages | wall (median of %d) | peak RSS (largest) | PDF bytes | DOCX bytes | ms per 1,000 rows |\n' "$runs"
printf '|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for accounts in "${sizes[@]}"; do
  yaml="$work/city-$accounts.yaml"
  "$bin" generate --accounts "$accounts" -o "$yaml" >/dev/null
  walls=()
  peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" render "$yaml" -o "$work" >/dev/null 2>&1
    read -r wall rss <"$work/time"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  rows=$((accounts + 88))
  pages=$(pdfinfo "$work/city-$accounts.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  printf '| %d | %d | %s | %s s | %d MB | %d | %d | %.1f |\n' "$accounts" "$rows" "${pages:-?}" \
    "$median" $((peak / 1024)) "$(stat -c %s "$work/city-$accounts.pdf")" \
    "$(stat -c %s "$work/city-$accounts.docx")" "$(awk "BEGIN {print $median * 1000000 / $rows}")"
done
