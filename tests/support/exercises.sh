# Shared by the course runner and the shipped-state check: reading chapters/exercises.txt.
# shellcheck shell=bash  # sourced by bash scripts, never run alone: it has no #! line
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

# A function of a course file starts on a line at column 0 (its signature; continuation lines
# are indented) and ends at the next line that is "}" alone, as clang-format writes them.

# function_around FILE LINE: "START END" of the function that holds LINE.
function_around() {
  awk -v target="$2" '{ text[NR] = $0 }
    END {
      for (i = target; i >= 1; i--) if (text[i] ~ /^[A-Za-z_]/) { start = i; break }
      for (i = target; i <= NR; i++) if (text[i] == "}") { end = i; break }
      if (start && end) print start, end
    }' "$1"
}

# function_starting FILE SIGNATURE: "START END" of the function whose first line is SIGNATURE.
function_starting() {
  awk -v signature="$2" '{ text[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) if (text[i] == signature) { start = i; break }
      if (!start) exit
      for (i = start; i <= NR; i++) if (text[i] == "}") { end = i; break }
      if (end) print start, end
    }' "$1"
}

# A reference solution is shown as its chapter page shows it (Doxygen's \snippet, through the
# alias \solution): the lines between the two "// [name]" lines of its solutions/ file, the
# marker lines left out. Each region holds the one function of one exercise.

# function_name SIGNATURE: the name the first line of a function defines, qualified as written
# there: the word before its first "(" ("void Tape::backward(Var loss) {" -> Tape::backward).
function_name() {
  local head=${1%%(*}
  printf '%s\n' "${head##*[ *&]}"
}

# snippet_defining FILE FUNCTION: the name of the "// [name]" region of FILE that holds the
# definition of FUNCTION: a line at column 0 (a signature, not a comment) on which FUNCTION and
# "(" follow the start of the line or a space. Nothing when no region holds it.
snippet_defining() {
  awk -v fn="$2(" '
    { line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
    line ~ /^\/\/ \[[^]]+\]$/ {
      name = substr(line, 5, length(line) - 5); open = (open == name) ? "" : name; next
    }
    open != "" && /^[A-Za-z_]/ && (index($0, fn) == 1 || index($0, " " fn)) { print open; exit }
  ' "$1"
}

# snippet FILE NAME: prints the lines between the two "// [NAME]" lines of FILE (the markers
# may be indented); fails unless FILE has exactly two.
snippet() {
  awk -v marker="// [$2]" '
    { line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
    line == marker { markers++; next }
    markers == 1 { print }
    END { exit markers != 2 }
  ' "$1"
}

# splice FILE START END SOURCE: replaces lines START..END of FILE with the file SOURCE, whole
# or not at all.
splice() {
  local file=$1 start=$2 end=$3 source=$4 tmp
  tmp=$(mktemp "$(dirname "$file")/.course.XXXXXX")
  if ! { head -n "$((start - 1))" "$file"; cat "$source"; tail -n "+$((end + 1))" "$file"; } >"$tmp" ||
     ! chmod --reference="$file" "$tmp" || ! mv "$tmp" "$file"; then
    rm -f "$tmp"; echo "could not write $file" >&2; return 1
  fi
}
