#!/usr/bin/env bash
# runner_test.sh SOURCE_DIR — the course runner, used as a learner uses it (label runner).
#
# On a scratch copy of the checkout (the files git tracks or would track, as they are now,
# committed into a fresh repository so that reset has a history):
#  1. next points at exercise 1.1 with the stub's file:line, the line run and hint name too,
#     and the Markdown page (the pages are not built); status counts none done;
#  2. with the reference version of 1.1 spliced into the learner's file, plus a narrowing
#     conversion and an unused variable (warnings, never errors: the learner's build goes on
#     and shows them with file:line), next points at 1.2, having relinked one executable (the
#     chapter's test program) and remembered the verdict, list shows 1.1 done, 1.2 next and 2.1
#     pending, and status counts one done; solution 1.1 now shows the reference, exactly the
#     region of solutions/ the chapter page shows (between its "// [name]" markers); reset
#     1.1 --yes restores the file exactly as shipped;
#  3. bad arguments get exit code 2 and one line;
#  4. a learner who solves every exercise (every reference file copied over the learner's)
#     gets what the solutions get: every exercise test passes, next says all are done, and
#     every learner chapter program, run by ./course run N (which builds it), runs to the end.
set -uo pipefail
src=$(cd "$1" && pwd)
# shellcheck source=tests/support/exercises.sh
. "$src/tests/support/exercises.sh"
# shellcheck source=tests/support/jobs.sh
. "$src/tests/support/jobs.sh"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/course-runner-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failures=0
check() {  # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
contains() {  # contains TEXT PART: shows TEXT's first lines when PART is not in it
  grep -qF -- "$2" <<<"$1" && return 0
  echo "  expected \"$2\" in:"; head -n 12 <<<"$1" | sed 's/^/  | /'; return 1
}
one_line_exit_2() {  # one_line_exit_2 ARGS...: ./course ARGS exits 2 with one line on stderr
  local err code
  err=$(cd "$scratch" && ./course "$@" 2>&1 >/dev/null </dev/null); code=$?
  if [ "$code" -ne 2 ] || [ "$(grep -c '' <<<"$err")" -ne 1 ]; then
    echo "  ./course $*: exit $code, stderr: $err"; return 1
  fi
}

# The scratch copy, and a history holding the shipped state.
(cd "$src" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$src" && xargs -0 cp --parents -t "$scratch" 2>/dev/null)
if ! git -C "$scratch" init -q || ! git -C "$scratch" add -A ||
   ! git -C "$scratch" -c user.name=course -c user.email=course@localhost commit -qm shipped; then
  echo "FAIL: could not make the scratch repository"; exit 1
fi
export BP_BUILD_DIR=$scratch/build
unset CI  # the runner is tested as a learner has it

# 1. Shipped: the first exercise is 1.1.
out=$(cd "$scratch/chapters" && ../course next 2>&1)
check "next (from a subfolder) points at exercise 1.1" contains "$out" "Exercise 1.1"
stub_line=chapters/01_shapes/shapes.cpp:$(grep -n 'BP_EXERCISE("1.1")' "$scratch/chapters/01_shapes/shapes.cpp" | cut -d: -f1)
check "next names the file and line of the stub of 1.1" contains "$out" "edit  $stub_line"
check "next shows a progress line" contains "$out" "0 of "
out=$(cd "$scratch" && ./course run 1 2>&1)
check "run names the same file and line as next" contains "$out" "$stub_line"
out=$(cd "$scratch" && ./course hint 1.1 2>&1)
check "hint names the same file and line, and the page" contains "$out" "edit  $stub_line"
check "without built pages, hint names the Markdown page" contains "$out" "read  chapters/01_shapes/README.md"
out=$(cd "$scratch" && ./course status 2>&1)
check "status counts none done" contains "$out" "0 of "

# 2. Exercise 1.1 solved.
file=$scratch/chapters/01_shapes/shapes.cpp
todo=$(grep -n 'TODO(1.1)' "$file" | cut -d: -f1)
read -r start end < <(function_around "$file" "$todo")
signature=$(sed -n "${start}p" "$file")
read -r s_start s_end < <(function_starting "$scratch/solutions/01_shapes/shapes.cpp" "$signature")
# The learner's version has what a learner's code often has: a narrowing conversion and an
# unused variable. Both warn; neither stops the build.
sed -n "${s_start},${s_end}p" "$scratch/solutions/01_shapes/shapes.cpp" |
  sed '1a\  int rows = X.n_rows;  // narrowing: arma::uword to int\n  int unused = rows;' \
  >"$scratch/solved.txt"
stamp=$scratch/stamp; touch "$stamp"; sleep 1.1
splice "$file" "$start" "$end" "$scratch/solved.txt"
out=$(cd "$scratch" && ./course next 2>&1)
check "after solving 1.1, next points at exercise 1.2" contains "$out" "Exercise 1.2"
relinked=$(find "$scratch/build/bin" -maxdepth 1 -type f -newer "$stamp" -printf '%f\n' | sort | tr '\n' ' ')
only_ch01_test() { [ "$relinked" = "ch01_shapes_test " ] || { echo "  relinked: $relinked"; return 1; }; }
check "a save in chapter 01 relinks one executable, the chapter's test program" only_ch01_test
check "next remembers that 1.1 passes" grep -q '^1\.1 ' "$scratch/build/course/verdicts"
listed=$(cd "$scratch" && ./course list 2>&1)
check "list shows 1.1 done, 1.2 next, 2.1 pending" \
  grep -qzE '1\.1 +done .*1\.2 +next .*2\.1 +pending' <<<"$listed"
check "a learner's narrowing conversion is shown as a warning, with file and line" \
  contains "$out" "chapters/01_shapes/shapes.cpp:$((start + 1)):"
check "a learner's unused variable is shown as a warning" contains "$out" "unused"
out=$(cd "$scratch" && ./course status 2>&1)
check "status counts one done" contains "$out" "1 of "
check "status shows chapter 01 at 1/2" grep -qE "01_shapes +1/2" <<<"$out"
# solution shows the region the chapter page shows (\solution: Doxygen's \snippet), the lines
# between the two "// [name]" markers around the exercise's function, whatever else the region
# holds: here a comment planted above the signature, which the function alone would not show.
reference=$scratch/solutions/01_shapes/shapes.cpp
cp "$reference" "$scratch/reference.orig"
awk '{ print } /^\/\/ \[check_affine_shapes\]$/ && !done { print "// Planted: the page shows this line."; done = 1 }' \
  "$scratch/reference.orig" >"$reference"
region() {  # region NAME: the lines between the two "// [NAME]" lines of the reference file
  sed -n "/^\/\/ \[$1\]\$/,/^\/\/ \[$1\]\$/p" "$reference" | sed '1d;$d'
}
shown() {  # shown ARGS...: what ./course solution ARGS prints after its heading line
  (cd "$scratch" && ./course solution "$@" 2>/dev/null) | sed -n '/the reference version/,$p' | tail -n +2
}
same() {  # same WHAT EXPECTED GOT: shows the difference when GOT is not EXPECTED
  [ "$2" = "$3" ] && return 0
  echo "  $1 differs from the page's region:"; diff <(echo "$2") <(echo "$3") | head -n 8 | sed 's/^/  | /'
  return 1
}
check "solution 1.1, once 1.1 passes, shows the page's region // [check_affine_shapes], exactly" \
  same "solution 1.1" "$(region check_affine_shapes)" "$(shown 1.1)"
check "solution 1.2 --force shows the other region of the file, // [affine], exactly" \
  same "solution 1.2" "$(region affine)" "$(shown 1.2 --force)"
grep -v '^// \[check_affine_shapes\]$' "$scratch/reference.orig" >"$reference"
one_line_exit_2_no_region() { one_line_exit_2 solution 1.1 --force; }
check "solution 1.1 with its region's markers gone: exit 2 and one line" one_line_exit_2_no_region
cp "$scratch/reference.orig" "$reference"
one_line_exit_2_not_yet() { one_line_exit_2 solution 1.2; }
check "solution 1.2 is refused while 1.2 does not pass" one_line_exit_2_not_yet
(cd "$scratch" && ./course reset 1.1 --yes >/dev/null 2>&1)
check "reset 1.1 restores the shipped file exactly" git -C "$scratch" diff --quiet -- chapters/01_shapes/shapes.cpp

# 3. Bad arguments: exit 2, one line.
for args in "bogus" "hint" "hint 1.x" "hint 99.1" "run" "run x" "run 99" "solution" \
            "solution 9.9" "reset 1.1" "reset 1.1 --now" "next extra" "status extra" "list extra" \
            "watch --often"; do
  # shellcheck disable=SC2086  # the words are the arguments
  check "./course $args: exit 2 and one line" one_line_exit_2 $args
done
out=$(cd "$scratch" && ./course next --help 2>&1)
check "next --help explains next in one screen" contains "$out" "./course next:"

# 4. Every exercise solved with the reference: the same results as the solutions.
for solution in "$scratch"/solutions/[0-9][0-9]_*/*.cpp; do
  cp "$solution" "$scratch/chapters/${solution#"$scratch"/solutions/}"
done
out=$(cd "$scratch" && ./course next 2>&1)
check "with every reference version in place, next says all exercises are done" contains "$out" "exercises are done"
check "with every reference version in place, every exercise test passes" \
  ctest --test-dir "$scratch/build" -L exercises -j "$(cpu_count)" --no-tests=error -Q
# ./course run builds the learner's program it runs (next builds only test programs).
quietly() { "$@" >/dev/null 2>&1; }
for dir in "$scratch"/chapters/[0-9][0-9]_*/; do
  chapter=$(basename "$dir")
  check "the learner's ch$chapter runs to the end (./course run ${chapter%%_*})" \
    quietly env -C "$scratch" ./course run "${chapter%%_*}"
done

echo "runner: $failures failed"
[ "$failures" -eq 0 ]
