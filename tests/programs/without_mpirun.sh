#!/usr/bin/env bash
# without_mpirun.sh PROGRAM [ARGS...]
#
# Runs chapter 15's PROGRAM as on a machine without Open MPI: with a PATH that holds only an
# empty folder. Passes when it exits 2 with one line on stderr that starts with the program's
# name and says that mpirun was not found, and nothing was left in the folder it ran in.
set -u
program=$(readlink -f "$1"); shift
name=$(basename "$program"); name=${name%_solution}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
mkdir "$dir/empty" "$dir/run"
(cd "$dir/run" && PATH="$dir/empty" "$program" --plots "$dir/run" "$@" >"$dir/stdout" 2>"$dir/stderr")
code=$?
fail() { echo "FAIL: $*"; echo "--- stdout ---"; cat "$dir/stdout"; echo "--- stderr ---"; cat "$dir/stderr"; exit 1; }
[ "$code" -eq 2 ] || fail "exit code $code, expected 2"
[ "$(grep -c '' "$dir/stderr")" -eq 1 ] || fail "expected exactly one line on stderr"
grep -q "^$name: mpirun was not found on the PATH" "$dir/stderr" || fail "the line does not say that mpirun is missing"
[ -z "$(ls -A "$dir/run")" ] || fail "files were left behind: $(ls -A "$dir/run")"
echo "ok: without mpirun, $name exits 2 in one line:"
cat "$dir/stderr"
