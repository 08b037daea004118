#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS WORKDIR CORPUS...
#
# One bounded libFuzzer run: FUZZER starts from every input of the CORPUS folders (read only)
# and mutates them for SECONDS seconds. New inputs it finds go to WORKDIR/corpus, and an input
# that broke it to WORKDIR/crash-*, leak-*, timeout-* or oom-* (all in the build tree, never
# in the source tree). Exit code 0 when the time ran out with nothing found; otherwise
# libFuzzer's code (not 0) after its report: a crash or sanitizer report, a leak, an input
# that takes more than 5 s (a hang) or more than 2 GB.
set -u
if [ $# -lt 4 ]; then
  echo "usage: run_fuzz.sh FUZZER SECONDS WORKDIR CORPUS..." >&2
  exit 2
fi
fuzzer=$1 seconds=$2 work=$3
shift 3
mkdir -p "$work/corpus" || exit 2
# halt_on_error: the first report ends the run; detect_leaks: a leak is a failure.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -detect_leaks=1 \
  -max_len=4096 -dict="$(dirname "$0")/csv.dict" -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$@"
