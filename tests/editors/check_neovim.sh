#!/usr/bin/env bash
# The README's Neovim set-up, tried as a learner uses it: Neovim with docs/editors/nvim-init.lua
# opens a learner's file of the checkout, a narrowing conversion is typed into the buffer (not
# saved), and clangd must report it and the unused variable on that line, with the flags of
# compile_commands.json (linked at the checkout's root by ./course, or given as $2).
# Usage: check_neovim.sh SOURCE_DIR [BUILD_DIR]
set -euo pipefail
source_dir=$1
build_dir=${2:-$source_dir/build}
for tool in nvim clangd; do
  command -v "$tool" > /dev/null ||
    { echo "check_neovim: $tool is not installed (./course setup installs it)"; exit 1; }
done
[[ -f $build_dir/compile_commands.json ]] ||
  { echo "check_neovim: no $build_dir/compile_commands.json: configure the build first"; exit 1; }

# clangd finds the database at the root or in build/. Neovim's own state goes to a scratch home.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
file=chapters/01_shapes/shapes.cpp
cd "$source_dir"
out=$(HOME=$scratch XDG_CONFIG_HOME=$scratch XDG_STATE_HOME=$scratch XDG_CACHE_HOME=$scratch \
      timeout 120 nvim --headless -u docs/editors/nvim-init.lua \
        -c "luafile tests/editors/plant_warning.lua" "$file" 2>&1) || true
echo "$out"
line=$(($(grep -n 'BP_EXERCISE' "$file" | head -1 | cut -d: -f1)))
fail=0
for want in "Implicit conversion from 'double' to 'int'" "Unused variable 'planted'"; do
  if ! grep -q "^$line: $want" <<< "$out"; then
    echo "check_neovim: clangd did not report \"$want\" on line $line of $file"
    fail=1
  fi
done
exit "$fail"
