#!/usr/bin/env bash
# save_to_verdict.sh [RUNS] — how long a learner waits between saving a file and the verdict of
# ./course next, and how many executables that save relinks.
#
# In this checkout, as it is: the learner's file of the first exercise not done (the one next
# names) is saved RUNS times (default 10), each time with a new last line (a comment holding a
# counter, so the compiler has a changed file to compile, as after a real edit), and each save is
# followed by ./course next, timed from the save to its last line. The executables whose file
# changed are counted after each run. Then the same save is followed by a build of everything
# (cmake --build), which relinks every executable that uses the saved file: the count the
# runner avoids. The file is put back byte for byte at the end, even on Ctrl-C.
#
# Prints each time, then the median, the fastest and the slowest, the load average and the
# machine's cores: the conditions of the measure. It needs a configured and built build/ (run
# ./course next once first). Speed is measured here, never asserted in a test.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/save_to_verdict.sh [RUNS]" >&2; exit 2; }
build=${BP_BUILD_DIR:-$root/build}
# shellcheck source=tests/support/jobs.sh
. "$root/tests/support/jobs.sh"
[ -f "$build/CMakeCache.txt" ] || { echo "save_to_verdict: build/ is not configured: run ./course next first" >&2; exit 2; }

# The file next points at ("  edit  FILE:LINE").
(cd "$root" && ./course next >/dev/null 2>&1)
file=$(cd "$root" && ./course next 2>/dev/null | sed -nE 's/^  edit  ([^:]+):.*/\1/p' | head -n1)
[ -n "$file" ] || { echo "save_to_verdict: ./course next names no file to edit (every exercise done?)" >&2; exit 2; }
saved=$(mktemp)
cp -p "$root/$file" "$saved"
stamp=$(mktemp)
restore() { cp -p "$saved" "$root/$file"; rm -f "$saved" "$stamp"; }
trap 'restore; exit 130' INT TERM
trap restore EXIT

# save N: the learner's file as it was, with one more line.
save() { { cat "$saved"; printf '// save %s\n' "$1"; } >"$root/$file"; }

# relinked: the executables of build/bin newer than $stamp.
relinked() { find "$build/bin" -maxdepth 1 -type f -newer "$stamp" | wc -l; }

echo "save_to_verdict: $runs saves of $file, each followed by ./course next"
times=()
for i in $(seq 1 "$runs"); do
  sleep 1.1  # a new second: file times of the save and of the build differ
  touch "$stamp"
  start=$(date +%s.%N)
  save "bench-$$-$i"
  (cd "$root" && ./course next >/dev/null 2>&1)
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  times+=("$t")
  printf '  run %2d: %.2f s, %d executable(s) relinked\n' "$i" "$t" "$(relinked)"
done

sleep 1.1
touch "$stamp"
save "bench-$$-full"
start=$(date +%s.%N)
cmake --build "$build" -j "$(cpu_count)" >/dev/null 2>&1
end=$(date +%s.%N)
printf '  the same save, then a build of everything: %.2f s, %d executable(s) relinked\n' \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(relinked)"

sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }' <<<"$sorted")
printf 'save -> verdict of ./course next: median %.2f s, fastest %.2f s, slowest %.2f s (%d runs)\n' \
  "$median" "$(head -n1 <<<"$sorted")" "$(tail -n1 <<<"$sorted")" "$runs"
echo "conditions: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(c++ --version | head -n1)"
