#!/usr/bin/env bash
# expect.sh CODE REGEX -- COMMAND [ARGS...]
#
# Runs COMMAND and passes when it exits with CODE. For a failing CODE (not 0) it also requires
# that stderr is exactly one line and, when REGEX is not empty, that the line matches REGEX
# (an extended regular expression). For CODE 0 it requires an empty stderr.
set -u
want=$1; pattern=$2; shift 2
[ "${1:-}" = "--" ] && shift
err=$(mktemp); trap 'rm -f "$err"' EXIT
"$@" >/dev/null 2>"$err"
got=$?
lines=$(grep -c '' "$err")
fail() { echo "FAIL: $*"; echo "--- stderr ---"; cat "$err"; exit 1; }
[ "$got" -eq "$want" ] || fail "exit code $got, expected $want: $*"
if [ "$want" -eq 0 ]; then
  [ "$lines" -eq 0 ] || fail "expected no output on stderr: $*"
else
  [ "$lines" -eq 1 ] || fail "expected exactly one line on stderr, got $lines: $*"
  if [ -n "$pattern" ]; then grep -Eq -- "$pattern" "$err" || fail "stderr does not match /$pattern/: $*"; fi
fi
echo "ok: exit $got: $*"
cat "$err"
