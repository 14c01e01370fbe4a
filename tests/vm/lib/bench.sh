# SPDX-License-Identifier: GPL-2.0
# The benchmark (tests/vm/run --mode bench, make bench; tests/bench/README):
# what goes into its VM, the progress line while it runs, and the report
# after it.  Sourced by tests/vm/run.  Not a test: no figure fails it.

BENCH_ROUNDS=5
BENCH_SECONDS=3
BENCH_RESULTS=${TUN_BENCH_RESULTS:-$REPO/bench-results}
BENCH_DIR=$REPO/tests/bench

# bench_rows: the names of the rows the filter keeps, one a line.
bench_rows() {
	local name _
	while read -r name _; do
		[[ -z $name || $name == \#* ]] && continue
		# shellcheck disable=SC2053 # the filter is a glob
		[[ -z $FILTER || $name == $FILTER ]] && echo "$name"
	done <"$BENCH_DIR/rows"
}

# bench_vm_timeout: seconds the bench's VM may run, unless TUN_VM_TIMEOUT
# says: per measurement its wall time three times over (TCG on a loaded
# host) plus setup, and the devices row, which is not timed by SECONDS,
# generously.
bench_vm_timeout() {
	local n
	if [[ -n ${TUN_VM_TIMEOUT:-} ]]; then
		echo "$TUN_VM_TIMEOUT"
		return
	fi
	n=$(bench_rows | wc -l)
	echo $((600 + n * 2 * BENCH_ROUNDS * (3 * BENCH_SECONDS + 40) + 2 * BENCH_ROUNDS * 300))
}

bench_append() {
	echo "tunvm.bench_rounds=$BENCH_ROUNDS tunvm.bench_seconds=$BENCH_SECONDS"
}

# bench_stage STAGE ABI: both tun.ko side by side, outside the module tree
# (the guest insmods them by path, in turn), the rows, the guest's runner
# and the bench programs.
bench_stage() {
	local stage=$1 abi=$2 b=$1/tests/bench rel f
	mkdir -p "$b/ours" "$b/stock" || return 1
	cp "$BUILD/$abi/src/tun.ko" "$b/ours/tun.ko" || return 1
	rel=$(cd "$(kernel_moddir "$abi")" && ls kernel/drivers/net/tun.ko* 2>/dev/null | head -n 1)
	if [[ -z $rel ]]; then
		note "no tun.ko in linux-image-$abi"
		return 1
	fi
	case $rel in
	*.xz) xz -dc "$(kernel_moddir "$abi")/$rel" >"$b/stock/tun.ko" ;;
	*.zst) zstd -qdc "$(kernel_moddir "$abi")/$rel" >"$b/stock/tun.ko" ;;
	*) cp "$(kernel_moddir "$abi")/$rel" "$b/stock/tun.ko" ;;
	esac || return 1
	# Both load by insmod, so neither may need another module.
	for f in "$b"/{ours,stock}/tun.ko; do
		if [[ -n $(modinfo -F depends "$f") ]]; then
			note "$f depends on $(modinfo -F depends "$f"): insmod alone cannot load it"
			return 1
		fi
	done
	install -m 644 "$BENCH_DIR/rows" "$b/rows" || return 1
	install -m 755 "$BENCH_DIR/guest" "$b/guest" || return 1
	for f in "$BENCH_DIR"/*.sh "$REPO"/tests/build/bench/*; do
		[[ -f $f ]] && { install -m 755 "$f" "$b/" || return 1; }
	done
	return 0
}

# bench_progress: the guest's PROGRESS lines from stdin, on stderr.
bench_progress() {
	local line step rest
	while IFS= read -r line; do
		line=${line%$'\r'}
		[[ $line == "PROGRESS "* ]] || continue
		read -r _ step rest <<<"$line"
		printf '   [%s] %s\n' "$step" "$rest" >&2
	done
}

# bench_follow_start RESULTS / bench_follow_stop: follow RESULTS (the VM
# writes it through its second serial port) for the progress line while
# the VM runs.  tail is the background job itself, so that killing it ends
# the reader too (whose stderr is set up before tail's goes to /dev/null);
# --pid: it also ends with this script, however that ends.
BENCH_TAIL=
bench_follow_start() {
	: >"$1"
	tail -n +1 -F --pid=$$ "$1" > >(bench_progress) 2>/dev/null &
	BENCH_TAIL=$!
}
bench_follow_stop() {
	[[ -n $BENCH_TAIL ]] || return 0
	kill "$BENCH_TAIL" 2>/dev/null
	wait "$BENCH_TAIL" 2>/dev/null
	BENCH_TAIL=
}

# bench_report SERIES ABI DIR: from DIR/results, a folder
# $BENCH_RESULTS/<date>-<series>/ with raw.txt (the BENCH lines),
# results.csv, results.json, table.txt (also printed) and plot.png.
bench_report() {
	local series=$1 abi=$2 dir=$3 out
	out=$BENCH_RESULTS/$(date -u +%Y%m%d-%H%M)-$series
	mkdir -p "$out" || return 1
	tr -d '\r' <"$dir/results" | grep -E '^BENCH(-SKIP)? ' >"$out/raw.txt"
	if [[ ! -s $out/raw.txt ]]; then
		note "no measurement came back"
		return 1
	fi
	awk -v series="$series" -v abi="$abi" -v rounds="$BENCH_ROUNDS" \
		-v secs="$BENCH_SECONDS" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		-v csv="$out/results.csv" -v json="$out/results.json" \
		-v plot="$out/plot.dat" -v table="$out/table.txt" \
		-f "$VM_DIR/lib/bench.awk" "$out/raw.txt" || return 1
	sed 's/^/   /' "$out/table.txt"
	bench_plot "$out" "$series" "$abi"
	note "results: $out"
}

# bench_plot OUT SERIES ABI: OUT/plot.png, the ratios with gnuplot
# (gnuplot-nox), when the host has it.
bench_plot() {
	local out=$1
	if ! command -v gnuplot >/dev/null; then
		note "no gnuplot here (apt-get install gnuplot-nox): no plot.png"
		return 0
	fi
	gnuplot <<-EOF 2>"$out/plot.log" || note "gnuplot failed ($out/plot.log)"
		set terminal pngcairo size 1200,600 noenhanced
		set output "$out/plot.png"
		set title "tun-ng $2 ($3): our tun.ko / Debian's, median of $BENCH_ROUNDS rounds; bars: lowest and highest round's ratio"
		set datafile missing "?"
		set style data histogram
		set style histogram errorbars gap 2 lw 1
		set style fill solid 0.6 border -1
		set boxwidth 0.9
		set xtics rotate by -40 scale 0
		set ylabel "ratio ours / stock (log scale, clipped to 1/8..8)"
		set logscale y 2
		set yrange [0.125:8]
		set ytics ("1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8)
		set grid ytics
		set key top left
		plot "$out/plot.dat" using 2:3:4:xtic(1) title "packets/s", \
			"" using 5:6:7 title "Gbit/s", \
			1 with lines dashtype 2 lc rgb "black" notitle
	EOF
	[[ -s $out/plot.png ]] || note "no plot.png (see $out/plot.log)"
	[[ -s $out/plot.log ]] || rm -f "$out/plot.log"
}
