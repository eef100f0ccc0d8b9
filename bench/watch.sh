#!/usr/bin/env bash
# watch's re-render of city-large (issue 14: under 150 ms from save to written files): the
# release binary watches a copy, 10 saves (a comment line appended each time); prints the
# milliseconds watch reports for each (first event to files written) and the CPU per re-render.
# usage: bench/watch.sh   (after cargo build --release; BIN=path/to/tongbao for another build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/tongbao}
d=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$d"' EXIT
cp fixtures/city-large.yaml "$d/q.yaml"
"$bin" watch "$d/q.yaml" -o "$d/out" 2> "$d/err.log" &
pid=$!
renders() { local n; n=$(grep -c "已生成" "$d/err.log" 2>/dev/null) || true; echo "${n:-0}"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
until [ "$(renders)" -ge 1 ]; do sleep 0.2; done
c0=$(cpu)
for i in $(seq 1 10); do
  before=$(renders)
  echo "# save $i" >> "$d/q.yaml"
  until [ "$(renders)" -gt "$before" ]; do sleep 0.05; done
  sleep 0.3
done
c1=$(cpu)
grep -o "（[0-9]* 毫秒）" "$d/err.log" | tail -n 10 | tr '\n' ' '
echo
echo "CPU per re-render: $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) / 10 )) ms"
