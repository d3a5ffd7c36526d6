#!/usr/bin/env bash
# Compares hawk with bpftrace, side by side, on the same scripts: wall time
# and peak memory of a whole run. bpftrace is only the peer here; when it is
# not installed, hawk is measured alone. Needs root.
set -euo pipefail
hawk=${1:-bin/hawk}
runs=${RUNS:-20}

# measure CMD...: mean wall time in ms over $runs runs, and peak RSS in MiB.
measure() {
	local start end rss max=0 out
	out=$(mktemp)
	start=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%M' -o "$out" "$@" >/dev/null 2>&1 || true
		rss=$(tail -1 "$out")
		((rss > max)) && max=$rss
	done
	rm -f "$out"
	end=$(date +%s%N)
	printf '%8.1f ms %8.1f MiB' "$(echo "($end - $start) / $runs / 1000000" | bc -l)" "$(echo "$max / 1024" | bc -l)"
}

scripts=(
	'BEGIN { exit(); }'
	'BEGIN { printf("hello %d\n", 1+2); exit(); }'
	'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } interval:ms:10 { exit(); }'
)
printf '%-80s %24s %24s\n' script hawk bpftrace
for s in "${scripts[@]}"; do
	h=$(measure "$hawk" -e "$s")
	if command -v bpftrace >/dev/null; then
		b=$(measure bpftrace -e "$s")
	else
		b='(not installed)'
	fi
	printf '%-80s %24s %24s\n' "$s" "$h" "$b"
done
