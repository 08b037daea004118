#!/usr/bin/env bash
# without_gnuplot.sh FIGURES PROGRAM [ARGS...]
#
# Runs PROGRAM as on a machine without gnuplot: with a PATH that holds only an empty folder, and
# its figures going to a fresh temporary folder (--plots). Passes when the program exits 0 with
# nothing on stderr, says for each of its FIGURES figures in one line that gnuplot is not
# installed and where the figure's data went, every data file it names exists, and no PNG (and
# no temporary file) was left behind.
set -u
want=$1; program=$2; shift 2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
mkdir "$dir/empty" "$dir/plots"
out=$dir/stdout; err=$dir/stderr
PATH="$dir/empty" "$program" --plots "$dir/plots" "$@" >"$out" 2>"$err"
code=$?
fail() { echo "FAIL: $*"; echo "--- stdout ---"; cat "$out"; echo "--- stderr ---"; cat "$err"; exit 1; }
[ "$code" -eq 0 ] || fail "exit code $code, expected 0: $program $*"
[ ! -s "$err" ] || fail "expected nothing on stderr"
said=$(grep -c "^Figure not drawn: gnuplot is not installed. Its data is in $dir/plots/" "$out")
[ "$said" -eq "$want" ] || fail "$said lines say where a figure's data went, expected $want"
named=0
while IFS= read -r csv; do
  [ -s "$csv" ] || fail "the data file $csv it names does not exist"
  named=$((named + 1))
done < <(grep "^Figure not drawn" "$out" | grep -o "$dir/plots/[^ ,]*\.csv")
pngs=$(find "$dir/plots" -name '*.png' | wc -l)
[ "$pngs" -eq 0 ] || fail "$pngs PNG files were written without gnuplot"
others=$(find "$dir/plots" -type f ! -name '*.csv' | wc -l)
[ "$others" -eq 0 ] || fail "files other than the data were left behind: $(find "$dir/plots" -type f ! -name '*.csv')"
echo "ok: without gnuplot, $program exits 0 and names the $named data files of its $want figures"
grep "^Figure not drawn" "$out"
