#!/usr/bin/env bash
# shipped_state.sh SOURCE_DIR BIN_DIR
#
# Proves the shipped state of the exercises (unsolved must fail, solved must pass):
#  - every exercise of chapters/exercises.txt has a title, a hint, a "TODO(id)" and a
#    BP_EXERCISE("id") stub in its file, and its test filter selects at least one test;
#  - the reference of every exercise is a "// [name]" region of its solutions/ file, and its
#    chapter page shows that region (\solution): the one ./course solution prints;
#  - every test of a chapter's test program belongs to exactly one exercise;
#  - against the learner's library as shipped, every test of every exercise fails, and fails
#    with bp::ExerciseNotDone;
#  - against the reference solutions, every one of them passes.
# A learner who has written an exercise removes its BP_EXERCISE stub; outside CI that exercise
# is then reported and left out of the stub check (the shipped state is a fresh checkout's).
set -u
src=$1; bin=$2
# shellcheck source=tests/support/exercises.sh
. "$src/tests/support/exercises.sh"
list=$src/chapters/exercises.txt
report=$(mktemp); trap 'rm -f "$report"' EXIT
problems=0; checked=0; written=0
problem() { echo "FAIL: $*"; problems=$((problems + 1)); }

# run_report PROGRAM FILTER: runs the tests and leaves the one-line-per-test report in $report.
run_report() {
  : >"$report"
  BP_REPORT=$report "$bin/$1" --gtest_filter="$2" >/dev/null 2>&1
}

# reference_region ID FILE: the reference of exercise ID is the "// [name]" region of its
# solutions/ file that holds the function of TODO(ID), and its chapter page shows that region
# (\solution{FILE,name}): what ./course solution ID prints is what the page folds.
reference_region() {
  local id=$1 file=$2 todo start fn solution region page
  todo=$(grep -nF "TODO($id)" "$src/$file" | head -n1 | cut -d: -f1)
  [ -n "$todo" ] || return 0
  read -r start _ < <(function_around "$src/$file" "$todo")
  [ -n "$start" ] || { problem "exercise $id: no function holds TODO($id) in $file"; return; }
  fn=$(function_name "$(sed -n "${start}p" "$src/$file")")
  solution=solutions/${file#chapters/}
  page=$(dirname "$file")/README.md
  region=$(snippet_defining "$src/$solution" "$fn")
  if [ -z "$region" ]; then
    problem "exercise $id: $solution has no // [name] region holding $fn (./course solution $id prints that region)"
  elif ! snippet "$src/$solution" "$region" >/dev/null; then
    problem "exercise $id: $solution has not exactly two // [$region] lines"
  elif ! grep -qF "\\solution{$solution,$region}" "$src/$page"; then
    problem "exercise $id: $page does not show its reference: no \\solution{$solution,$region}"
  fi
}

declare -A filters_of   # test program -> the filters of its exercises, one per line
while IFS= read -r line; do
  id=$(exercise_field "$line" 1); file=$(exercise_field "$line" 2)
  filter=$(exercise_field "$line" 3); title=$(exercise_field "$line" 4)
  hint=$(exercise_field "$line" 5)
  program=$(exercise_test_binary "$file")
  filters_of[$program]+="$filter"$'\n'
  [ -n "$title" ] || problem "exercise $id has no title"
  [ -n "$hint" ] || problem "exercise $id has no hint"
  [ -f "$src/$file" ] || { problem "exercise $id: no file $file"; continue; }
  grep -qF "TODO($id)" "$src/$file" || problem "exercise $id: no TODO($id) in $file"
  reference_region "$id" "$file"
  [ -x "$bin/$program" ] || { problem "exercise $id: no test program $program (build first)"; continue; }

  run_report "${program}_solution" "$filter"
  tests=$(grep -c '' "$report"); passed=$(grep -c $'\tPASS\t' "$report")
  [ "$tests" -gt 0 ] || problem "exercise $id: the filter $filter selects no test"
  [ "$passed" -eq "$tests" ] ||
    problem "exercise $id: $((tests - passed)) of $tests tests fail against the solution: $(grep $'\tFAIL\t' "$report" | cut -f1 | tr '\n' ' ')"

  if ! grep -qF "BP_EXERCISE(\"$id\")" "$src/$file"; then
    if [ -n "${CI:-}" ]; then problem "exercise $id: $file has no BP_EXERCISE(\"$id\") stub"
    else echo "note: exercise $id is written in $file, so it is not checked as a stub"; written=$((written + 1)); fi
    continue
  fi
  run_report "$program" "$filter"
  tests=$(grep -c '' "$report")
  unfinished=$(grep $'\tFAIL\t' "$report" | grep -c 'ExerciseNotDone')
  [ "$unfinished" -eq "$tests" ] ||
    problem "exercise $id: $((tests - unfinished)) of $tests tests do not fail with ExerciseNotDone against the stub: $(grep -v 'ExerciseNotDone' "$report" | cut -f1 | tr '\n' ' ')"
  checked=$((checked + 1))
  echo "ok: exercise $id: $tests tests fail on the stub and pass on the solution"
done < <(exercise_lines "$list")

# Every TODO(id) in a learner's file has its entry in the list.
while IFS= read -r todo; do
  id=${todo#*TODO(}; id=${id%%)*}
  exercise_lines "$list" | awk -v id="$id" 'BEGIN { FS = " [|] " } $1 == id { found = 1 } END { exit !found }' ||
    problem "${todo%%:*}: TODO($id) has no entry in chapters/exercises.txt"
done < <(cd "$src" && grep -oE 'TODO\([0-9]+\.[0-9]+\)' chapters/[0-9][0-9]_*/*.cpp)

# Every test belongs to exactly one exercise.
for program in "${!filters_of[@]}"; do
  [ -x "$bin/$program" ] || continue
  suite=""
  while IFS= read -r row; do
    case $row in
      " "*) name="$suite${row#  }"; name=${name%% *} ;;
      *) suite=${row%% *}; continue ;;
    esac
    owners=0
    while IFS= read -r filter; do
      [ -n "$filter" ] || continue
      # A GoogleTest filter is globs separated by ':'; the test belongs to it if one matches.
      IFS=: read -r -a globs <<<"$filter"
      for glob in "${globs[@]}"; do
        # shellcheck disable=SC2053  # the filter is a glob on purpose
        if [[ $name == $glob ]]; then owners=$((owners + 1)); break; fi
      done
    done <<<"${filters_of[$program]}"
    [ "$owners" -eq 1 ] || problem "$program: test $name belongs to $owners exercises (needs exactly 1)"
  done < <("$bin/$program" --gtest_list_tests)
done

# The learner's chapter programs, as shipped, stop at their first exercise: exit code 3 and one
# line on stderr naming the exercise and its file.
for dir in "$src"/chapters/[0-9][0-9]_*/; do
  chapter=$(basename "$dir"); program="ch$chapter"
  [ -x "$bin/$program" ] || { problem "no program $program (build first)"; continue; }
  stubs=$(grep -c 'BP_EXERCISE("' "$dir"*.cpp | awk -F: '{ n += $2 } END { print n + 0 }')
  exercises=$(exercise_lines "$list" | grep -c " chapters/$chapter/")
  [ "$stubs" -eq "$exercises" ] || { echo "note: $program is not checked as shipped ($((exercises - stubs)) of its exercises are written)"; continue; }
  err=$("$bin/$program" 2>&1 >/dev/null); code=$?
  if [ "$code" -ne 3 ] || [ "$(grep -c '' <<<"$err")" -ne 1 ] || ! grep -qE "exercise [0-9]+\.[0-9]+ is not done yet; write it in chapters/" <<<"$err"; then
    problem "$program as shipped: expected exit 3 and one line naming an exercise, got exit $code: $err"
  else
    echo "ok: $program stops at the first unfinished exercise: $err"
  fi
done

echo "shipped state: $checked exercises checked as stubs, $written written by the learner, $problems problems"
[ "$problems" -eq 0 ]
