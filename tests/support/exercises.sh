# Shared by the course runner and the shipped-state check: reading chapters/exercises.txt.
# Source it; it defines functions only.

# exercise_lines FILE: the exercise lines of the list, comments and blank lines dropped.
exercise_lines() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$1"; }

# exercise_field LINE N: field N (1-based) of an exercise line, trimmed.
exercise_field() {
  local line=$1 n=$2
  awk -v n="$n" 'BEGIN { FS = " [|] " } { f = $n; sub(/^[ \t]+/, "", f); sub(/[ \t]+$/, "", f); print f }' <<<"$line"
}

# exercise_test_binary FILE: the learner's test program of the chapter that holds FILE,
# e.g. chapters/01_shapes/shapes.cpp -> ch01_shapes_test.
exercise_test_binary() {
  local dir
  dir=$(basename "$(dirname "$1")")
  echo "ch${dir}_test"
}
