#!/usr/bin/env bash
# expect_report.sh REGEX -- COMMAND [ARGS...]
#
# Passes when COMMAND fails (exit code not 0) and its output (stdout and stderr together)
# matches REGEX, an extended regular expression: a planted bug was reported. Fails when the
# command succeeds, or fails without the report.
set -u
pattern=$1; shift
[ "${1:-}" = "--" ] && shift
out=$(mktemp); trap 'rm -f "$out"' EXIT
start=$SECONDS
"$@" >"$out" 2>&1
got=$?
fail() { echo "FAIL: $*"; echo "--- output (last 40 lines) ---"; tail -n 40 "$out"; exit 1; }
[ "$got" -ne 0 ] || fail "exit code 0: the planted bug was not reported: $*"
tr '\n' ' ' <"$out" | grep -Eq -- "$pattern" || fail "exit code $got, but the output does not match /$pattern/: $*"
echo "ok: exit $got after $((SECONDS - start)) s, reported: $(grep -Em1 -- 'ERROR|runtime error' "$out")"
