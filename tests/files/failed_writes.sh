#!/usr/bin/env bash
# failed_writes.sh CH05 CH01
#
# A failed write is an error, figures included: chapter 05's figure (data 8 kB, PNG about 95 kB)
# is drawn
#  - on a full disk: a 64 kB tmpfs mounted in a private mount namespace (unshare -m), so the
#    data fits and the PNG does not (ENOSPC);
#  - under a file-size limit of 32 kB (ulimit -f 32: EFBIG);
# and each run must exit 2 with one line naming the PNG and the reason, leaving the data whole
# and no PNG or temporary behind. Chapter 01's program writing to /dev/full must exit 1 with one
# line. Where the kernel refuses a private mount namespace, the full-disk case is skipped and
# says why (exit code 77 when nothing else ran).
set -u
ch05=$(readlink -f "$1"); ch01=$(readlink -f "$2")
work=$(mktemp -d); trap 'umount "$work/small" 2>/dev/null; rm -rf "$work"' EXIT
failed=0; skipped=""
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect_failed_write DIR REASON STATUS ERRFILE: the run's answer and what it left in DIR.
expect_failed_write() {
  local dir=$1 reason=$2 code=$3 err=$4
  [ "$code" -eq 2 ] || fail "$reason: exit code $code, expected 2"
  [ "$(grep -c '' "$err")" -eq 1 ] || fail "$reason: $(grep -c '' "$err") lines on stderr, expected 1"
  grep -Eq "^ch05_finite_differences: cannot write .*/ch05_fd_error\.png: $reason$" "$err" ||
    fail "$reason: the line is: $(cat "$err")"
  [ ! -e "$dir/ch05_fd_error.png" ] || fail "$reason: a PNG was left behind"
  [ -z "$(find "$dir" -name '.*tmp*')" ] || fail "$reason: a temporary was left: $(find "$dir" -name '.*tmp*')"
  [ "$(head -n 1 "$dir/ch05_fd_error.csv" 2>/dev/null)" != "" ] || fail "$reason: the data is missing"
  echo "checked: $reason: $(cat "$err")"
}

# 1. A full disk (ENOSPC), in a private mount namespace.
mkdir "$work/small"
if unshare -m true 2>/dev/null; then
  # The tmpfs lives in the namespace only: what the run left in it is listed from inside.
  # shellcheck disable=SC2016  # the inner bash expands $1..$5, the arguments after the script
  unshare -m bash -c 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
    "$2" --plots "$1" >/dev/null 2>"$3"; code=$?
    ls -A "$1" >"$4"; head -n 1 "$1/ch05_fd_error.csv" >"$5"; exit $code' \
    _ "$work/small" "$ch05" "$work/err_full" "$work/left" "$work/header"
  code=$?
  [ "$code" -eq 2 ] || fail "No space left on device: exit code $code, expected 2"
  [ "$(grep -c '' "$work/err_full")" -eq 1 ] || fail "ENOSPC: not one line on stderr"
  grep -Eq "^ch05_finite_differences: cannot write .*/ch05_fd_error\.png: No space left on device$" "$work/err_full" ||
    fail "ENOSPC: the line is: $(cat "$work/err_full")"
  [ "$(cat "$work/left")" = ch05_fd_error.csv ] || fail "ENOSPC: the folder holds: $(tr '\n' ' ' <"$work/left")"
  grep -q '^h,central_tanh,' "$work/header" || fail "ENOSPC: the data is not whole"
  echo "checked: No space left on device: $(cat "$work/err_full")"
else
  skipped="the full-disk case (the kernel refuses a private mount namespace: unshare -m failed)"
  echo "skipped: $skipped"
fi

# 2. A file-size limit (EFBIG): the 8 kB data fits under 32 kB, the PNG does not.
mkdir "$work/limited"
(ulimit -f 32; "$ch05" --plots "$work/limited" >/dev/null 2>"$work/err_limit")
expect_failed_write "$work/limited" "File too large" $? "$work/err_limit"

# 3. Standard output on a full device.
"$ch01" >/dev/full 2>"$work/err_stdout"; code=$?
[ "$code" -eq 1 ] || fail "stdout on /dev/full: exit code $code, expected 1"
if [ "$(grep -c '' "$work/err_stdout")" -ne 1 ] ||
   ! grep -q "^ch01_shapes: error: cannot write to standard output" "$work/err_stdout"; then
  fail "stdout on /dev/full: stderr is: $(cat "$work/err_stdout")"
fi
echo "checked: standard output: $(cat "$work/err_stdout")"

echo "failed writes: $failed failed${skipped:+; skipped: $skipped}"
[ "$failed" -eq 0 ]
