#!/usr/bin/env bash
# Time and peak memory of `tongbao render` (DOCX + PDF) and of `tongbao check` at growing numbers
# of accounts, to show that both grow linearly and stay within their budgets (issue 12: 20,000
# accounts rendered under 150 MB, 100,000 items rendered under 1 GiB, check of 100,000 items under
# 300 MB). Usage: bench/scaling.sh [ACCOUNTS...]  (default 1146 5000 20000 100000);
# RUNS=N runs each command N times (default 3; the wall time is the median, the peak the largest).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/tongbao
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1146 5000 20000 100000)

# measure NAME CMD...: runs CMD $runs times; sets $median (s) and $peak (KB).
measure() {
  local walls=() wall rss
  peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r wall rss <"$work/time"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
}

printf '| accounts | items | pages | render wall (median of %d) | render peak RSS | check wall | check peak RSS | PDF bytes | DOCX bytes | KB of peak per item |\n' "$runs"
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for accounts in "${sizes[@]}"; do
  yaml="$work/city-$accounts.yaml"
  "$bin" generate --accounts "$accounts" -o "$yaml" >/dev/null
  items=$((accounts + 88))
  measure "$bin" check "$yaml"
  check_wall=$median check_peak=$peak
  measure "$bin" render "$yaml" -o "$work" --force
  pages=$(pdfinfo "$work/city-$accounts.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  printf '| %d | %d | %s | %s s | %d MB | %s s | %d MB | %d | %d | %.1f |\n' "$accounts" "$items" \
    "${pages:-?}" "$median" $((peak / 1024)) "$check_wall" $((check_peak / 1024)) \
    "$(stat -c %s "$work/city-$accounts.pdf")" "$(stat -c %s "$work/city-$accounts.docx")" \
    "$(awk "BEGIN {print $peak / $items}")"
done
