#!/usr/bin/env bash
# hostile_names.sh PROGRAM (ch10_training)
#
# No name a user gives reaches gnuplot or a shell as a command. Folders and files are named with
# a newline followed by gnuplot's "!" (a shell command), quotes, ";", "$()", backticks and "@":
# --plots, --data and --load each get such names, and the runs must draw their figures (whole
# PNGs) and never create the marker file the commands would touch.
set -u
program=$(readlink -f "$1")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
marker=$work/pwned  # the commands touch "pwned" in the folder the program runs in: $work
cd "$work" || exit 1
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

nl=$'\n'
names=(
  "a${nl}!touch pwned${nl}b"
  "q'${nl}!touch pwned${nl}'"
  "semi;touch pwned"
  "dollar\$(touch pwned)"
  "tick\`touch pwned\`"
  "dq\"${nl}!touch pwned${nl}\"@macro"
)
printf 'x1,x2,label\n0,0,0\n0.1,0.2,0\n1,1,1\n0.9,1.1,1\n' >"$work/points.csv"
i=0
for name in "${names[@]}"; do
  i=$((i + 1))
  dir=$work/$i/$name
  mkdir -p "$dir"
  cp "$work/points.csv" "$dir/$name.csv"
  args=(--epochs 5 --hidden 5 --data "$dir/$name.csv" --plots "$dir" --save "$dir/$name.bpnet")
  "$program" "${args[@]}" >"$work/out" 2>"$work/err"; code=$?
  if [ "$code" -ne 0 ]; then
    fail "case $i: exit code $code with names like $(printf %q "$name")"; sed 's/^/    /' "$work/err"; continue
  fi
  "$program" --data "$dir/$name.csv" --load "$dir/$name.bpnet" --plots "$dir/redrawn" \
    >"$work/out" 2>"$work/err" || { fail "case $i: --load exit code $?"; sed 's/^/    /' "$work/err"; }
  for png in "$dir"/ch10_loss.png "$dir"/ch10_boundary.png "$dir"/ch10_hidden.png \
             "$dir"/ch10_rates.png "$dir"/redrawn/ch10_boundary.png; do
    [ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
      fail "case $i: $(printf %q "$png") is not a PNG"
  done
  [ -e "$marker" ] && { fail "case $i: a name ran a command: $(printf %q "$name")"; rm -f "$marker"; }
  [ -e "$work/$i/pwned" ] && fail "case $i: a name ran a command in the folder"
  echo "ok: case $i: $(printf %q "$name")"
done
# A leftover marker anywhere under the scratch folder (a command run in another folder).
leftover=$(find "$work" -name pwned)
[ -z "$leftover" ] || fail "marker files: $leftover"
echo "hostile names: ${#names[@]} cases, $failed failed"
[ "$failed" -eq 0 ]
