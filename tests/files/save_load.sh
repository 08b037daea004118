#!/usr/bin/env bash
# save_load.sh PROGRAM
#
# Chapter 10's --save and --load, as a learner uses them (PROGRAM: ch10_training_solution):
#  1. a trained network saved with --save, loaded with --load, gives the same accuracy and
#     redraws the decision boundary's data byte for byte, without training;
#  2. a network that does not fit: other classes than the data (K), another --hidden (H);
#  3. damaged files: cut short, one byte changed, not a network, missing.
# Each refusal must be exit code 2 with one line on stderr naming the file and the problem.
set -u
program=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.out "$work"/*.err; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done; exit 1; }
small=(--hidden 20 --samples 60 --epochs 100 --seed 5)

# 1. Save, then load and redraw.
mkdir "$work/trained" "$work/loaded"
"$program" "${small[@]}" --plots "$work/trained" --save "$work/net.bpnet" >"$work/save.out" 2>"$work/save.err" ||
  fail "the training run with --save failed"
[ -s "$work/net.bpnet" ] || fail "--save wrote no file"
grep -q "^Saved the network to $work/net.bpnet (860 bytes: format bp-network version 1, D = 2, H = 20, K = 2" "$work/save.out" ||
  fail "--save did not say what it saved (expected 860 bytes for H = 20: 40 + 8·102 + 4)"
"$program" --samples 60 --seed 5 --load "$work/net.bpnet" --plots "$work/loaded" >"$work/load.out" 2>"$work/load.err" ||
  fail "--load of the saved network failed"
[ ! -s "$work/load.err" ] || fail "--load wrote to stderr"
grep -q "^3. Training" "$work/load.out" && fail "--load trained the network"
trained=$(grep -o "accuracy [0-9.]*% on the training points, [0-9.]*% on the held-out points" "$work/save.out" | tail -1)
loaded=$(grep -o "accuracy [0-9.]*% on the training points, [0-9.]*% on the held-out points" "$work/load.out")
if [ -z "$trained" ] || [ "$trained" != "$loaded" ]; then
  fail "accuracies differ: trained '$trained', loaded '$loaded'"
fi
cmp -s "$work/trained/ch10_boundary.csv" "$work/loaded/ch10_boundary.csv" ||
  fail "the redrawn decision boundary's data differs from the trained network's"
[ -e "$work/loaded/ch10_loss.csv" ] && fail "--load drew the loss curve of a training it did not do"
# --load with --save copies the network exactly.
"$program" --samples 60 --seed 5 --load "$work/net.bpnet" --save "$work/copy.bpnet" --no-plots >"$work/copy.out" 2>&1 ||
  fail "--load with --save failed"
cmp -s "$work/net.bpnet" "$work/copy.bpnet" || fail "a loaded and saved network differs from the file it came from"

# expect NAME REGEX ARGS...: exit 2 and one line on stderr matching REGEX.
expect() {
  local name=$1 pattern=$2; shift 2
  "$program" "$@" >"$work/$name.out" 2>"$work/$name.err"
  local code=$?
  [ "$code" -eq 2 ] || fail "$name: exit code $code, expected 2: $*"
  [ "$(grep -c '' "$work/$name.err")" -eq 1 ] || fail "$name: expected one line on stderr"
  grep -Eq -- "$pattern" "$work/$name.err" || fail "$name: stderr does not match /$pattern/"
  echo "ok: $name: $(cat "$work/$name.err")"
}

# 2. Networks that do not fit.
printf 'x1,x2,label\n0,0,0\n1,0,1\n0,1,2\n1,1,0\n' >"$work/three.csv"
"$program" --data "$work/three.csv" --hidden 20 --epochs 10 --no-plots --save "$work/three.bpnet" >"$work/three_save.out" 2>&1 ||
  fail "saving a three-class network failed"
expect other_classes "^ch10_training: --load: .*three.bpnet holds a network of D = 2, H = 20, K = 3, but the data needs D = 2, H = 20, K = 2" \
  --samples 60 --load "$work/three.bpnet" --no-plots
expect other_hidden "^ch10_training: --load: .*net.bpnet holds a network of D = 2, H = 20, K = 2, but --hidden asks for D = 2, H = 50, K = 2" \
  --samples 60 --hidden 50 --load "$work/net.bpnet" --no-plots

# 3. Damaged files.
head -c 300 "$work/net.bpnet" >"$work/cut.bpnet"
expect cut "^ch10_training: --load: .*cut.bpnet: truncated: 300 bytes, where a network of D = 2, H = 20, K = 2 takes 860$" \
  --load "$work/cut.bpnet" --no-plots
cp "$work/net.bpnet" "$work/flipped.bpnet"
printf '\x55' | dd of="$work/flipped.bpnet" bs=1 seek=200 conv=notrunc status=none
cmp -s "$work/net.bpnet" "$work/flipped.bpnet" && fail "the byte was not changed"
expect flipped "^ch10_training: --load: .*flipped.bpnet: checksum mismatch \(CRC-32 stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the file is corrupted$" \
  --load "$work/flipped.bpnet" --no-plots
cp "$work/net.bpnet" "$work/v2.bpnet"
printf '\x02' | dd of="$work/v2.bpnet" bs=1 seek=12 conv=notrunc status=none
expect version "^ch10_training: --load: .*v2.bpnet: format version 2; this program reads version 1 only$" \
  --load "$work/v2.bpnet" --no-plots
expect not_a_network "^ch10_training: --load: .*three.csv: not a saved network" --load "$work/three.csv" --no-plots
: >"$work/empty.bpnet"
expect empty "^ch10_training: --load: .*empty.bpnet: the file is empty" --load "$work/empty.bpnet" --no-plots
expect missing "^ch10_training: --load: cannot open .*missing.bpnet: No such file or directory$" \
  --load "$work/missing.bpnet" --no-plots
expect save_no_folder "^ch10_training: --save: cannot write .*/no/net.bpnet: the folder .*/no does not exist$" \
  --save "$work/no/net.bpnet" --no-plots
expect save_folder "^ch10_training: --save: cannot write .*: it is a folder; name a file$" \
  --save "$work/trained" --no-plots
echo "ok: --save and --load: round trip exact, figure redrawn identically, every bad file refused"
