#!/usr/bin/env bash
# plot/plots.sh RESULTS_DIR: draw every figure that plot/summarize.py wrote
# data for, as SVG and PNG.
# plot/plots.sh --compare DIR: draw the figures of a comparison (make
# compare): plot/compare/sweep.gp for each DIR/plots/data/BENCH.dat,
# plot/compare/bars.gp for moved.dat.
#
# For each plot/NAME.gp: when RESULTS_DIR/plots/data/NAME.dat exists, run
# gnuplot on it twice (svg, then pngcairo or else png); when it does not (a
# benchmark or design was not measured), say so, remove any old figure of
# that name, and go on.
#
# Each figure first loads the styles plot/styles.py derives from its data
# (one colour per design, one line and fill style per axis, in every figure);
# a figure it splits into small multiples is drawn larger (PANEL_SIZE).
#
# Reads:  plot/*.gp, RESULTS_DIR/plots/data/NAME.dat.
# Writes: RESULTS_DIR/plots/NAME.svg and NAME.png; progress on stdout.
# Exit:   0 when every figure with data was drawn, 1 when gnuplot is missing
#         or failed on a figure, 2 on bad usage.
set -u

PLOTDIR=$(dirname "$0")
readonly PLOTDIR
readonly SIZE=900,540
readonly PANEL_SIZE=1000,760   # small multiples (npanel > 1 in the styles)

usage() {
	echo "usage: plot/plots.sh RESULTS_DIR | --compare DIR" >&2
	exit 2
}

# png_terminal: pngcairo when this gnuplot has it (anti-aliased), else png.
png_terminal() {
	if gnuplot -e 'set terminal' 2>&1 | grep -qw pngcairo; then
		echo pngcairo
	else
		echo png
	fi
}

# draw GP DATA OUTBASE PNGTERM: one figure as OUTBASE.svg and OUTBASE.png,
# from one computation of its styles and labels; on failure remove both.
draw() {
	local gp=$1 data=$2 out=$3 png=$4 style st=0 labels=() size=$SIZE term
	style=$(mktemp "${TMPDIR:-/tmp}/ptbench-style.XXXXXX") || return 1
	if [[ $(basename "$gp") == sweep.gp && $gp != */compare/* ]]; then
		# The registry's labels for this sweep figure, as arguments.
		local l
		while IFS= read -r l; do labels+=(-e "$l"); done \
			< <(/usr/bin/python3 "$PLOTDIR/benches.py" --figure "$(basename "$data" .dat)")
	fi
	if /usr/bin/python3 "$PLOTDIR/styles.py" "$data" >"$style"; then
		! grep -qx 'npanel = [2-9]' "$style" || size=$PANEL_SIZE
		for term in svg "$png"; do
			gnuplot -e "datafile='$data'" -e "name='$(basename "$data" .dat)'" \
				-e "load '$style'" "${labels[@]}" \
				-e "set terminal $term size $size noenhanced background '#ffffff'" \
				-e "set output '$out.${term%cairo}'" "$gp" || st=1
		done
	else
		st=1
	fi
	rm -f "$style"
	((st == 0)) || rm -f "$out.svg" "$out.png"
	return "$st"
}

# compare DIR: the comparison's figures, one per data file.
compare() {
	local dir=$1 data name gp png status=0 drawn=0
	png=$(png_terminal)
	rm -f "$dir"/plots/*.svg "$dir"/plots/*.png
	for data in "$dir"/plots/data/*.dat; do
		[[ -e $data ]] || continue
		name=$(basename "$data" .dat)
		gp=$PLOTDIR/compare/sweep.gp
		[[ $name != moved ]] || gp=$PLOTDIR/compare/bars.gp
		if draw "$gp" "$data" "$dir/plots/$name" "$png"; then
			drawn=$((drawn + 1))
		else
			echo "plots.sh: gnuplot failed on $name ($gp, $data)" >&2
			status=1
		fi
	done
	echo "plots.sh: $drawn comparison figure(s) in $dir/plots"
	exit "$status"
}

main() {
	if (($# == 2)) && [[ $1 == --compare ]]; then
		command -v gnuplot >/dev/null || { echo "plots.sh: gnuplot not found (make deps installs gnuplot-nox)" >&2; exit 1; }
		[[ $2 != *\'* ]] || { echo "plots.sh: directory name must not contain a quote: $2" >&2; exit 2; }
		compare "$2"
	fi
	if (($# != 1)) || [[ $1 == -* ]]; then usage; fi
	local results=$1 data_dir=$1/plots/data out_dir=$1/plots
	local gp name data png status=0 drawn=0
	if ! command -v gnuplot >/dev/null; then
		echo "plots.sh: gnuplot not found (make deps installs gnuplot-nox); no figures drawn" >&2
		exit 1
	fi
	if [[ ! -d $data_dir ]]; then
		echo "plots.sh: no $data_dir: run plot/summarize.py --results $results first" >&2
		exit 1
	fi
	if [[ $results == *\'* ]]; then
		echo "plots.sh: results directory name must not contain a quote: $results" >&2
		exit 2
	fi
	png=$(png_terminal)
	# Every plot/NAME.gp but sweep.gp, then each sweep figure the registry
	# declares (plot/benches.py), drawn by sweep.gp with its labels.
	local figures=() f
	for gp in "$PLOTDIR"/*.gp; do
		[[ $(basename "$gp") == sweep.gp ]] || figures+=("$gp")
	done
	while IFS= read -r f; do figures+=("$PLOTDIR/sweep.gp:$f"); done \
		< <(/usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from benches import RECORDS; print("\n".join(r["figure"]["name"] for r in RECORDS if r.get("figure")))' "$PLOTDIR")
	for gp in "${figures[@]}"; do
		name=$(basename "$gp" .gp)
		if [[ $gp == *:* ]]; then name=${gp#*:}; gp=${gp%%:*}; fi
		data=$data_dir/$name.dat
		if [[ ! -s $data ]]; then
			echo "plots.sh: skipping $name: no $data (its benchmark or designs were not measured)"
			rm -f "$out_dir/$name.svg" "$out_dir/$name.png"
			continue
		fi
		if draw "$gp" "$data" "$out_dir/$name" "$png"; then
			echo "plots.sh: drew $out_dir/$name.svg and $name.png"
			drawn=$((drawn + 1))
		else
			echo "plots.sh: gnuplot failed on $name ($gp, $data)" >&2
			status=1
		fi
	done
	echo "plots.sh: $drawn figure(s) in $out_dir"
	exit "$status"
}

main "$@"
