#!/usr/bin/env bash
# interrupted_save.sh PROGRAM
#
# A save that fails midway leaves the previous file as it was. PROGRAM (ch10_training_solution)
# saves a network of 20060 bytes under a file-size limit of 8 KiB (`ulimit -f 8`): the write
# fails with EFBIG after 8192 bytes. The program must say so in one line on stderr, exit 2, and
# leave the network saved before byte for byte, still loadable, with no temporary beside it.
set -u
program=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/nets"
fail() { echo "FAIL: $*"; echo "--- stderr"; cat "$work/err" 2>/dev/null; ls -la "$work/nets"; exit 1; }
args=(--samples 40 --epochs 5 --no-plots)
"$program" "${args[@]}" --seed 1 --save "$work/nets/net.bpnet" >/dev/null 2>"$work/err" || fail "the first save failed"
cp "$work/nets/net.bpnet" "$work/before.bpnet"
[ "$(stat -c %s "$work/before.bpnet")" -eq 20060 ] || fail "the post's network should take 20060 bytes"
(ulimit -f 8; exec "$program" "${args[@]}" --seed 2 --save "$work/nets/net.bpnet") >/dev/null 2>"$work/err"
code=$?
[ "$code" -eq 2 ] || fail "exit code $code under a file-size limit, expected 2"
[ "$(grep -c '' "$work/err")" -eq 1 ] || fail "expected one line on stderr"
grep -Eq "^ch10_training: --save: cannot write .*/nets/net.bpnet: File too large \(a file already there is unchanged\)$" "$work/err" ||
  fail "the message does not name the file and the reason"
message=$(cat "$work/err")
cmp -s "$work/before.bpnet" "$work/nets/net.bpnet" || fail "the previous network was changed"
[ "$(find "$work/nets" -mindepth 1 -maxdepth 1 -printf . | wc -c)" -eq 1 ] || fail "a temporary file was left behind: $(ls -A "$work/nets")"
"$program" --samples 40 --load "$work/nets/net.bpnet" --no-plots >/dev/null 2>"$work/err" || fail "the previous network no longer loads"
echo "ok: a save cut short by a file-size limit exits 2 ($message), the previous network is unchanged and loads"
