#!/usr/bin/env bash
# bad_input.sh PROGRAM TABLE
#
# Feeds one chapter program a table of bad invocations and checks each answer: exit code 2,
# exactly one line on stderr, starting with the program's name and matching what the case
# expects, within 30 s, and no file left behind in the scratch folder the case ran in.
#
# Two kinds of cases:
#  - generated from the program's own --help, for every flag it lists, so that a new flag is
#    covered the day it is added: a missing value, and for each kind of value the values it
#    must refuse (sizes: 0, -1, one past the maximum, 1.5, 1e3, a word; the seed: -1, 1.5, a
#    word, 2^64; real numbers: nan, inf, -inf, a word, below and above the range; choices: a
#    word not among them; switches: a value). The message must name the flag and say what is
#    allowed, in the words of --help.
#  - read from TABLE (tests/programs/bad_input.txt): files and folders, and the limits a program
#    checks itself. Every flag that takes a file or folder name (TEXT in --help) must have at
#    least one row there, or the check fails.
# Besides these, every program gets an unknown flag, a stray argument and a repeated flag.
set -u
program=$(readlink -f "$1"); table=$2
name=$(basename "$program"); name=${name%_solution}
scratch=$(mktemp -d); trap 'chmod -R u+w "$scratch"; rm -rf "$scratch"' EXIT
# The placeholders of the table: a regular file, the scratch folder, and a folder in which no
# one, root included, can create a file.
file=$scratch/a_file; echo "not a folder" >"$file"
# Files that are not regular: a FIFO no one writes to, a symbolic link that loops, and a folder
# in which the first file each program writes (figures' data) is a link to /dev/null; and a name
# longer than a file name may be (300 bytes).
fifo=$scratch/a_fifo; mkfifo "$fifo"
loop=$scratch/a_loop; ln -s a_loop "$loop"
devices=$scratch/devices; mkdir "$devices"
for first in ch05_fd_error.csv ch10_loss.csv ch12_spectrum.csv ch13_hidden.csv ch14_training.csv ch15_scaling.csv; do ln -s /dev/null "$devices/$first"; done
long=$scratch/$(printf 'x%.0s' $(seq 300))
# Devices to write to, through links in the scratch folder: a program that wrongly replaced its
# target would replace the link, never the device itself (the tests run as root).
null=$scratch/null; ln -s /dev/null "$null"
full=$scratch/full; ln -s /dev/full "$full"
before=$(cd "$scratch" && find . | sort)
passed=0; failed=0

# check EXPECTED_REGEX ARGS...: one case.
check() {
  local pattern=$1; shift
  local err out code lines line after
  err=$(mktemp); out=$(mktemp)
  (cd "$scratch" && timeout 30 "$program" "$@" >"$out" 2>"$err")
  code=$?
  lines=$(grep -c '' "$err"); line=$(head -n 1 "$err")
  after=$(cd "$scratch" && find . | sort)
  local problem=""
  if [ "$code" -eq 124 ]; then problem="still running after 30 s"
  elif [ "$code" -ne 2 ]; then problem="exit code $code, expected 2"
  elif [ "$lines" -ne 1 ]; then problem="$lines lines on stderr, expected exactly 1"
  elif [[ $line != "$name: "* ]]; then problem="the line does not start with '$name: '"
  elif ! grep -Eq -- "$pattern" "$err"; then problem="the line does not match /$pattern/"
  elif [ "$after" != "$before" ]; then problem="files were left in the folder it ran in: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"
  fi
  if [ -z "$problem" ]; then
    passed=$((passed + 1)); echo "ok: $name $*"; echo "    $line"
  else
    failed=$((failed + 1)); echo "FAIL: $name $*: $problem"; sed 's/^/    stderr: /' "$err"
  fi
  rm -f "$err" "$out"
}

# A literal string as an extended regular expression.
literal() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

help=$("$program" --help) || { echo "FAIL: $name --help exits non-zero"; exit 1; }
# One line per flag: "--flag TYPE description", continuation lines joined.
flags=$(printf '%s\n' "$help" | awk '
  /^  --[a-z]/ { if (cur != "") print cur; cur = $0; next }
  /^   +[^ -]/ { if (cur != "") cur = cur " " $0; next }
  { if (cur != "") print cur; cur = "" }
  END { if (cur != "") print cur }' | sed -E 's/^ +//; s/ +/ /g')
[ -n "$flags" ] || { echo "FAIL: $name --help lists no flag"; exit 1; }

# refused VALUE ALLOWED: $flag given VALUE must be refused, naming the flag and what it takes.
# (Each case gives only the flag under test: the other flags keep their defaults.)
refused() { check "^$name: $flag: '$(literal "$1")' is not allowed; $(literal "$2")" "$flag" "$1"; }

declare -A text_flags=()
while IFS= read -r spec; do
  flag=${spec%% *}; rest=${spec#"$flag"}; type=$(printf '%s' "$rest" | awk '{print $1}')
  case $type in
    INT:*)
      max=$(printf '%s' "$spec" | sed -nE 's/.*a whole number from [0-9]+ to ([0-9]+).*/\1/p')
      allowed="use a whole number from 1 to $max"
      check "^$name: $flag: a value is missing; $(literal "$allowed")" "$flag"
      for v in 0 -1 $((max + 1)) 1.5 1e3 many ""; do refused "$v" "$allowed"; done ;;
    UINT:*)
      allowed="use a whole number from 0 to 18446744073709551615"
      check "^$name: $flag: a value is missing; $allowed" "$flag"
      for v in -1 1.5 seven 18446744073709551616; do refused "$v" "$allowed"; done ;;
    FLOAT:*)
      range=$(printf '%s' "$spec" | sed -nE 's/.*\(a finite number from ([^ ]+) to ([^ )]+)\).*/\1 \2/p')
      lo=${range% *}; hi=${range#* }
      allowed="use a finite number from $lo to $hi"
      check "^$name: $flag: a value is missing; $(literal "$allowed")" "$flag"
      above=$(awk -v hi="$hi" 'BEGIN { printf "%.6g", hi * 10 + 1 }')
      below=$(awk -v lo="$lo" 'BEGIN { printf "%.6g", lo - 1 }')
      for v in nan inf -inf NaN -nan one "$above" "$below"; do refused "$v" "$allowed"; done ;;
    TEXT:choice*)
      allowed=$(printf '%s' "$spec" | sed -nE 's/.*\(one of: ([^)]*)\).*/use one of: \1/p')
      check "^$name: $flag: a value is missing; $(literal "$allowed")" "$flag"
      refused "no-such-choice" "$allowed" ;;
    TEXT)
      check "^$name: $flag: a value is missing; it takes " "$flag"
      check "^$name: $flag: an empty name is not allowed; it takes " "$flag" ""
      text_flags[$flag]=1 ;;
    *)  # a switch
      check "^$name: $flag: a switch takes no value; write $flag alone" "$flag=maybe" ;;
  esac
done <<<"$flags"

# Every program: an unknown flag, a stray argument, a flag given twice.
check "^$name: The following argument was not expected: --no-such-flag" --no-such-flag
check "^$name: The following argument was not expected: stray" stray
check "^$name: --seed: given more than once; give it once" --seed 1 --seed 2

# The table: rows for this program, or for a flag it has.
declare -A covered=()
while IFS='|' read -r who args pattern; do
  who=$(echo "$who" | sed -E 's/^ +| +$//g'); args=$(echo "$args" | sed -E 's/^ +| +$//g')
  pattern=$(echo "$pattern" | sed -E 's/^ +| +$//g')
  [ -z "$who" ] || [[ $who == \#* ]] && continue
  if [[ $who == --* ]]; then
    printf '%s\n' "$flags" | grep -q -- "^$who " || continue
    covered[$who]=1
  else
    [ "$who" = "$name" ] || continue
  fi
  for placeholder in FILE:"$file" NULL:"$null" FULL:"$full" FIFO:"$fifo" LOOP:"$loop" DEVICES:"$devices" LONG:"$long" DIR:"$scratch"; do
    key=@${placeholder%%:*}@; value=${placeholder#*:}
    args=${args//$key/$value}; pattern=${pattern//$key/$(literal "$value")}
  done
  read -r -a argv <<<"$args"
  check "^$name: $pattern" "${argv[@]}"
done <"$table"
for flag in "${!text_flags[@]}"; do
  [ -n "${covered[$flag]:-}" ] ||
    { failed=$((failed + 1)); echo "FAIL: $name $flag takes a file or folder name and has no row in $(basename "$table")"; }
done

echo "$name: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
