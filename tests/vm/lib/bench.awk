# SPDX-License-Identifier: GPL-2.0
# The bench's report (lib/bench.sh, bench_report): reads the guest's lines
#	BENCH impl=<impl> round=<r> name=<row> pps=<f> gbps=<f> [key=value ...]
#	BENCH-SKIP impl=<impl> round=<r> name=<row> reason=<text>
# and writes, per row and numeric key, the median, min and max of each
# driver and the ratio ours/stock (of the medians; ratio_min and ratio_max
# are the lowest and highest of the rounds' own ratios, each round's
# measurements having run back to back): csv, json, table (pps, gbps
# unless both are 0, and the keys the row's show= names) and plot (pps and
# gbps ratios for gnuplot).  Plain POSIX awk (Debian's mawk).

function num(v) { return v ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }

function fmt(v,   a) {
	if (v == "")
		return "-"
	a = v < 0 ? -v : v
	if (a >= 1000)
		return sprintf("%.0f", v)
	return sprintf("%.3g", v)
}

function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

function jnum(v) { return v == "" ? "null" : sprintf("%.6g", v) }

# stats(ROW, METRIC, IMPL): sets MED, MIN, MAX, N ("" when no value).
function stats(r, m, impl,   k, n, i, j, t, a) {
	n = 0
	for (k = 1; k <= maxround; k++)
		if ((r, m, impl, k) in val)
			a[++n] = val[r, m, impl, k]
	N = n
	if (!n) {
		MED = MIN = MAX = ""
		return
	}
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	MIN = a[1]
	MAX = a[n]
	MED = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

# pairs(ROW, METRIC): sets RLO, RHI from the rounds that have both.
function pairs(r, m,   k, q) {
	RLO = RHI = ""
	for (k = 1; k <= maxround; k++) {
		if (!((r, m, "ours", k) in val) || !((r, m, "stock", k) in val))
			continue
		if (val[r, m, "stock", k] == 0)
			continue
		q = val[r, m, "ours", k] / val[r, m, "stock", k]
		if (RLO == "" || q < RLO)
			RLO = q
		if (RHI == "" || q > RHI)
			RHI = q
	}
}

{
	impl = round = name = ""
	for (i = 2; i <= NF; i++) {
		k = $i
		sub(/=.*/, "", k)
		v = substr($i, length(k) + 2)
		if (k == "impl")
			impl = v
		else if (k == "round")
			round = v + 0
		else if (k == "name")
			name = v
		if (k == "reason" && $1 == "BENCH-SKIP") {
			v = $0
			sub(/^.* reason=/, "", v)
			break
		}
	}
	if (name == "" || (impl != "ours" && impl != "stock"))
		next
	if (!(name in seen)) {
		seen[name] = 1
		rows[++nrows] = name
		nm[name] = 0
		addmetric(name, "pps")
		addmetric(name, "gbps")
	}
	if (round > maxround)
		maxround = round
	if ($1 == "BENCH-SKIP") {
		skipped[name, impl] = v
		next
	}
	for (i = 2; i <= NF; i++) {
		k = $i
		sub(/=.*/, "", k)
		v = substr($i, length(k) + 2)
		if (k == "impl" || k == "round" || k == "name")
			continue
		if (k == "show") {
			ns = split(v, sh, ",")
			for (j = 1; j <= ns; j++)
				shown[name, sh[j]] = 1
			continue
		}
		if (!num(v))
			continue
		addmetric(name, k)
		val[name, k, impl, round] = v + 0
	}
}

function addmetric(r, m) {
	if ((r, m) in hasm)
		return
	hasm[r, m] = 1
	metric[r, ++nm[r]] = m
}

END {
	print "series,abi,row,metric,ours_median,ours_min,ours_max,ours_n,stock_median,stock_min,stock_max,stock_n,ratio,ratio_min,ratio_max,note" >csv
	printf "{\n  \"series\": %s,\n  \"abi\": %s,\n  \"date\": %s,\n  \"rounds\": %d,\n  \"seconds\": %s,\n  \"rows\": [", jstr(series), jstr(abi), jstr(date), rounds, secs >json
	fmtrow = "%-16s %-10s %-28s %-28s %s\n"
	printf fmtrow, "row", "metric", "ours median [min..max]", "stock median [min..max]", "ours/stock" >table
	first = 1
	for (ri = 1; ri <= nrows; ri++) {
		r = rows[ri]
		pl_pps = pl_gbps = "? ? ?"
		for (mi = 1; mi <= nm[r]; mi++) {
			m = metric[r, mi]
			stats(r, m, "ours")
			om = MED; olo = MIN; ohi = MAX; on = N
			stats(r, m, "stock")
			sm = MED; slo = MIN; shi = MAX; sn = N
			pairs(r, m)
			ratio = (om != "" && sm != "" && sm != 0) ? om / sm : ""
			note = ""
			if ((r, "ours") in skipped)
				note = "ours skipped: " skipped[r, "ours"]
			if ((r, "stock") in skipped)
				note = note (note != "" ? "; " : "") "stock skipped: " skipped[r, "stock"]
			if (on == 0 && sn == 0 && note == "")
				continue
			cn = note
			gsub(/"/, "\"\"", cn)
			printf "%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%d,%s,%s,%s,\"%s\"\n", series, abi, r, m,
				om, olo, ohi, on, sm, slo, shi, sn,
				ratio == "" ? "" : sprintf("%.4f", ratio),
				RLO == "" ? "" : sprintf("%.4f", RLO),
				RHI == "" ? "" : sprintf("%.4f", RHI), cn >csv
			printf "%s\n    { \"row\": %s, \"metric\": %s, \"ours\": { \"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d }, \"stock\": { \"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d }, \"ratio\": %s, \"ratio_min\": %s, \"ratio_max\": %s, \"shown\": %s, \"note\": %s }",
				first ? "" : ",", jstr(r), jstr(m), jnum(om), jnum(olo), jnum(ohi), on,
				jnum(sm), jnum(slo), jnum(shi), sn, jnum(ratio), jnum(RLO), jnum(RHI),
				(m == "pps" || m == "gbps" || (r, m) in shown) ? "true" : "false",
				note == "" ? "null" : jstr(note) >json
			first = 0
			if (m == "pps" && ratio != "")
				pl_pps = sprintf("%.4f %s %s", ratio, RLO == "" ? ratio : RLO, RHI == "" ? ratio : RHI)
			if (m == "gbps" && ratio != "")
				pl_gbps = sprintf("%.4f %s %s", ratio, RLO == "" ? ratio : RLO, RHI == "" ? ratio : RHI)
			# the table: pps, gbps unless nobody moved a byte, show=
			if (m == "gbps" && om + 0 == 0 && sm + 0 == 0)
				continue
			if (m != "pps" && m != "gbps" && !((r, m) in shown))
				continue
			oc = on ? sprintf("%s [%s..%s]", fmt(om), fmt(olo), fmt(ohi)) : "skipped"
			sc = sn ? sprintf("%s [%s..%s]", fmt(sm), fmt(slo), fmt(shi)) : "skipped"
			rc = ratio == "" ? "-" : sprintf("%.2f", ratio)
			if (RLO != "" && RLO != RHI)
				rc = rc sprintf(" [%.2f..%.2f]", RLO, RHI)
			printf fmtrow, r, m, oc, sc, rc >table
		}
		if ((r, "ours") in skipped || (r, "stock") in skipped)
			printf "%-16s %s\n", "", "(" ((r, "ours") in skipped ? "ours: " skipped[r, "ours"] : "stock: " skipped[r, "stock"]) ")" >table
		printf "%s %s %s\n", r, pl_pps, pl_gbps >plot
	}
	printf "\n  ]\n}\n" >json
	printf "\nmedian of up to %d rounds of %s s each, drivers alternated in one VM; ratio > 1: ours is higher\n", rounds, secs >table
}
