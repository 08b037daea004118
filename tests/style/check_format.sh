#!/usr/bin/env bash
# check_format.sh [--root DIR] [FILE...] — the course's C++ in the layout of its .clang-format.
#
# Without FILE: every *.cpp and *.hpp under chapters/, solutions/, tests/ and bench/ of the
# checkout (DIR, default the one holding this script). With FILEs: those only. Each file whose
# layout differs is named with the first line that differs and the command that lays it out;
# the exit code is 1 when one differs, 2 on bad arguments, 0 when all conform.
#
# The learner's files (chapters/exercises.txt) are the course's as shipped, and checked so. Once
# the learner has written in one (a BP_EXERCISE stub of it is gone), its layout is the learner's:
# outside CI the whole-tree check names it in a note and leaves it out, as the shipped-state
# check does. The learner's commands (next, list, status, run) never run this check.
#
# clang-format is $CLANG_FORMAT, or clang-format on PATH (Debian's package clang-format: version
# 14 on Debian 12, 19 on Debian 13; the .clang-format is written for both).
#
# check_format.sh --self-test: the check run on a scratch tree with planted files; it must name
# the misformatted file alone, leave a learner's written file out (and check it in CI).
set -uo pipefail
self=$(readlink -f "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$self")/../.." && pwd)
clang_format=${CLANG_FORMAT:-clang-format}

# shellcheck source=tests/style/arguments.sh
. "$(dirname "$self")/arguments.sh"

# in_ci: CI=true (as CI runs .ci/run).
in_ci() { [ -n "${CI:-}" ] && [ "${CI}" != false ] && [ "${CI}" != 0 ]; }

# course_files: the C++ files of the whole-tree check, relative to $root, sorted.
course_files() {
  (cd "$root" && find chapters solutions tests bench -type f \( -name '*.cpp' -o -name '*.hpp' \) \
    -print 2>/dev/null | LC_ALL=C sort)
}

# written_learner_files: the learner's files (relative to $root) that lack a BP_EXERCISE stub of
# one of their exercises, one a line.
written_learner_files() {
  local list=$root/chapters/exercises.txt id file
  [ -f "$list" ] || return 0
  while IFS='|' read -r id file _; do
    id=$(echo "$id" | tr -d '[:space:]'); file=$(echo "$file" | tr -d '[:space:]')
    [ -f "$root/$file" ] && ! grep -qF "BP_EXERCISE(\"$id\")" "$root/$file" && echo "$file"
  done < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$list") | sort -u
}

# check FILE...: names each FILE (relative to $root, or absolute) not in the layout; fails if one.
check() {
  local file path formatted first lines bad=0 total=0
  formatted=$(mktemp)
  for file in "$@"; do
    path=$file; [[ $path == /* ]] || path=$root/$file
    total=$((total + 1))
    if ! "$clang_format" --style="file:$root/.clang-format" "$path" >"$formatted"; then
      echo "$file: clang-format could not read it"; bad=$((bad + 1)); continue
    fi
    cmp -s "$path" "$formatted" && continue
    first=$(diff -U0 "$path" "$formatted" | sed -nE 's/^@@ -([0-9]+).*/\1/p' | head -n1)
    lines=$(diff "$path" "$formatted" | grep -c '^<')
    if [ "$lines" -eq 1 ]; then lines="1 line differs"; else lines="$lines lines differ"; fi
    echo "$file:${first:-1}: not in the course's layout ($lines); run: clang-format -i $file"
    bad=$((bad + 1))
  done
  rm -f "$formatted"
  if [ "$bad" -gt 0 ]; then
    echo "format: $bad of $total files do not conform to .clang-format ($("$clang_format" --version | head -n1))"
    return 1
  fi
  echo "format: all $total files conform to .clang-format"
}

main() {
  local files written
  style_arguments "$@"
  case $mode in help) usage; return 0 ;; self-test) self_test; return ;; esac
  command -v "$clang_format" >/dev/null ||
    { echo "format: $clang_format is not installed (Debian package clang-format; ./course setup installs it)"; return 1; }
  [ -f "$root/.clang-format" ] || { echo "format: $root has no .clang-format"; return 1; }
  if [ "${#named[@]}" -gt 0 ]; then check "${named[@]}"; return; fi
  mapfile -t files < <(course_files)
  if ! in_ci; then
    written=$(written_learner_files)
    if [ -n "$written" ]; then
      echo "note: left out, your own code is in them: $(paste -sd' ' <<<"$written")"
      mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -vxF -f <(printf '%s\n' "$written"))
    fi
  fi
  check "${files[@]}"
}

# self_test: a scratch tree with the course's .clang-format, a conforming file, a misformatted
# one, a learner's file as shipped (conforming) and one the learner wrote in (misformatted).
self_test() {
  local out code wrong=0
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-format.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  cp "$root/.clang-format" "$scratch/"
  mkdir -p "$scratch/chapters/01_a" "$scratch/tests"
  printf '%s\n' '1.1 | chapters/01_a/a.cpp | A.* | a | a?' '1.2 | chapters/01_a/b.cpp | B.* | b | b?' \
    >"$scratch/chapters/exercises.txt"
  printf '%s\n' 'int f() { return 1; }' >"$scratch/tests/good.cpp"
  printf '%s\n' 'int f() { return 1; }' '' 'int  g( int x ){return x;}' >"$scratch/tests/bad.cpp"
  printf '%s\n' 'void a() { BP_EXERCISE("1.1"); }' >"$scratch/chapters/01_a/a.cpp"
  printf '%s\n' 'int  b( ){return 2;}' >"$scratch/chapters/01_a/b.cpp"
  expect() {  # expect WHAT CODE PART...: the last run exited CODE and printed every PART
    local what=$1 want=$2 part; shift 2
    if [ "$code" -ne "$want" ]; then echo "self-test: $what: exit $code, expected $want"; wrong=1; fi
    for part in "$@"; do
      grep -qF -- "$part" <<<"$out" || { echo "self-test: $what: no \"$part\" in: $out"; wrong=1; }
    done
  }
  out=$(CI='' "$self" --root "$scratch" 2>&1); code=$?
  expect "the tree" 1 "tests/bad.cpp:3: not in the course's layout (1 line differs); run: clang-format -i tests/bad.cpp" \
    "format: 1 of 3 files do not conform" "note: left out, your own code is in them: chapters/01_a/b.cpp"
  if grep -qE 'good.cpp|a.cpp:' <<<"$out"; then echo "self-test: a conforming file was named: $out"; wrong=1; fi
  out=$(CI=true "$self" --root "$scratch" 2>&1); code=$?
  expect "the tree in CI" 1 "chapters/01_a/b.cpp:1: not in the course's layout" "format: 2 of 4 files do not conform"
  out=$("$self" --root "$scratch" tests/good.cpp chapters/01_a/a.cpp 2>&1); code=$?
  expect "two conforming files named" 0 "format: all 2 files conform"
  out=$("$self" --root "$scratch" tests/missing.cpp 2>&1); code=$?
  expect "a missing file" 2 "no file tests/missing.cpp"
  [ "$wrong" -eq 0 ] && echo "self-test: the misformatted files were named, the others not, the learner's left out outside CI"
  return "$wrong"
}

main "$@"
