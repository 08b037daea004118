#!/usr/bin/env bash
# kill_midway.sh PROGRAM
#
# A program killed midway leaves no half-written file. PROGRAM (ch10_training_solution) runs a
# short training that writes 11 figure files (CSV data and PNG) and a saved network; a first,
# whole run gives the reference files (the program is deterministic: same flags, same bytes).
# Then the program is run again and again, and killed with SIGTERM or SIGKILL at chosen moments:
# the instant a given file appears (a file written in place would be caught half-written), the
# instant a temporary file appears, or after a delay. After each kill, once the program and its
# gnuplot child are gone, every visible file in the folder must be byte for byte the reference
# file of that name: whole, never cut short. After SIGTERM no temporary may remain either (the
# program removes it and dies of the signal, exit status 143); after SIGKILL a hidden
# ".name.tmp.<pid>" is tolerated (it can only exist for the instant between a link and a rename)
# and reported.
set -u
program=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
args=(--hidden 50 --samples 100 --epochs 100 --seed 3)
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$work/reference"
start=$(date +%s%N)
"$program" "${args[@]}" --plots "$work/reference" --save "$work/reference/net.bpnet" >/dev/null 2>&1 ||
  fail "the reference run failed"
whole_ms=$(( ($(date +%s%N) - start) / 1000000 ))
files=$(find "$work/reference" -mindepth 1 -maxdepth 1 -printf . | wc -c)
[ "$files" -eq 12 ] || fail "the reference run wrote $files files, expected 12: $(ls -A "$work/reference")"

interrupted=0; runs=0; hidden_after_kill=0
# run SIGNAL MOMENT [ARG]: MOMENT is "file NAME", "temporary" or "after SECONDS".
run() {
  local signal=$1 moment=$2 arg=${3:-}
  local dir=$work/run$runs
  runs=$((runs + 1))
  mkdir "$dir"
  setsid "$program" "${args[@]}" --plots "$dir" --save "$dir/net.bpnet" >/dev/null 2>&1 &
  local pid=$!
  case $moment in
    file) until [ -e "$dir/$arg" ] || ! kill -0 "$pid" 2>/dev/null; do :; done ;;
    temporary) until compgen -G "$dir/.*" >/dev/null || ! kill -0 "$pid" 2>/dev/null; do :; done ;;
    after) sleep "$arg" ;;
  esac
  kill -"$signal" "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null  # the shell's own "Killed" notice is not the program's output
  local code=$?
  # gnuplot, a child of the program, may still be finishing: wait until the group is gone.
  local tries=0
  while kill -0 -- "-$pid" 2>/dev/null && [ $tries -lt 500 ]; do sleep 0.01; tries=$((tries + 1)); done
  local what="SIG$signal at $moment $arg"
  case $code in
    0) ;;  # the run ended before the signal: its files are checked all the same
    143) [ "$signal" = TERM ] || fail "$what: exit status 143"; interrupted=$((interrupted + 1)) ;;
    137) [ "$signal" = KILL ] || fail "$what: exit status 137"; interrupted=$((interrupted + 1)) ;;
    *) fail "$what: exit status $code: the program did not die of the signal" ;;
  esac
  local visible=0 f name
  for f in "$dir"/*; do
    [ -e "$f" ] || continue
    name=${f##*/}
    [ -e "$work/reference/$name" ] || fail "$what: an unexpected file $name"
    cmp -s "$f" "$work/reference/$name" ||
      fail "$what: $name is not whole: $(stat -c %s "$f") bytes, the whole file has $(stat -c %s "$work/reference/$name")"
    visible=$((visible + 1))
  done
  local hidden
  hidden=$(find "$dir" -mindepth 1 -maxdepth 1 -name '.*' -printf '%f\n')
  if [ -n "$hidden" ]; then
    [ "$signal" = KILL ] || fail "$what: a temporary file was left behind: $hidden"
    echo "$hidden" | grep -Eqv '^\..+\.tmp\.[0-9]+$' && fail "$what: unexpected hidden files: $hidden"
    hidden_after_kill=$((hidden_after_kill + 1))
    echo "  note: $what left $hidden (SIGKILL cannot be caught: a named temporary stays)"
  fi
  echo "ok: $what: exit $code, $visible whole files"
}

for signal in TERM KILL; do
  for name in ch10_loss.csv net.bpnet ch10_boundary.csv ch10_boundary.png; do
    run $signal file $name
  done
  run $signal temporary
done
run TERM after 0.3
run KILL after 0.6
[ "$interrupted" -ge 9 ] || fail "only $interrupted of $runs runs were killed before they ended: the test proves little"
echo "ok: $interrupted of $runs runs killed midway (a whole run takes $whole_ms ms); every file left was whole;" \
     "no temporary after SIGTERM; $hidden_after_kill runs left a temporary after SIGKILL"
