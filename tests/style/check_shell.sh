#!/usr/bin/env bash
# check_shell.sh [--root DIR] [FILE...] — ShellCheck over the course's shell scripts.
#
# Without FILE: the runner `course`, `.ci/run`, and every *.sh under tests/, bench/ and docs/
# of the checkout (DIR, default the one holding this script). With FILEs: those only. Every
# finding counts, the style ones too; a script silences one only with a directive on the line
# above that says why (`# shellcheck disable=SCnnnn  # the reason`). The exit code is 1 when a
# script has a finding, 2 on bad arguments, 0 when none has.
#
# check_shell.sh --self-test: the check run on a scratch tree with a planted script; it must name
# the script with its finding, and pass the clean one.
set -uo pipefail
self=$(readlink -f "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$self")/../.." && pwd)

# shellcheck source=tests/style/arguments.sh
. "$(dirname "$self")/arguments.sh"

# course_scripts: the scripts of the whole-tree check, relative to $root.
course_scripts() {
  (cd "$root" && {
    for file in course .ci/run; do [ -f "$file" ] && echo "$file"; done
    find tests bench docs -type f -name '*.sh' -print 2>/dev/null | LC_ALL=C sort
  })
}

# check FILE...: ShellCheck on each FILE from the checkout's root (so that the `source=` paths
# of the directives resolve), following what it sources (-x); fails if one has a finding.
check() {
  local file bad=0
  for file in "$@"; do
    (cd "$root" && shellcheck -x -- "$file") || bad=$((bad + 1))
  done
  if [ "$bad" -gt 0 ]; then
    echo "shellcheck: $bad of $# scripts have findings (ShellCheck $(shellcheck --version | sed -n 's/^version: //p'))"
    return 1
  fi
  echo "shellcheck: no findings in $# scripts"
}

main() {
  style_arguments "$@"
  case $mode in help) usage; return 0 ;; self-test) self_test; return ;; esac
  command -v shellcheck >/dev/null ||
    { echo "shellcheck: not installed (Debian package shellcheck; ./course setup installs it)"; return 1; }
  [ "${#named[@]}" -gt 0 ] || mapfile -t named < <(course_scripts)
  check "${named[@]}"
}

# self_test: a scratch tree whose `course` is clean and whose tests/planted.sh holds an unquoted
# variable in rm -rf (SC2086), the commonest shell bug.
self_test() {
  local out code wrong=0
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/shellcheck-test.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/tests" "$scratch/.ci"
  cat >"$scratch/course" <<'CLEAN'
#!/usr/bin/env bash
dir=$1
rm -rf "$dir/build"
CLEAN
  printf '%s\n' '#!/usr/bin/env bash' 'exec ./course test' >"$scratch/.ci/run"
  cat >"$scratch/tests/planted.sh" <<'PLANTED'
#!/usr/bin/env bash
dir=$1
rm -rf $dir/build
PLANTED
  out=$("$self" --root "$scratch" 2>&1); code=$?
  [ "$code" -eq 1 ] || { echo "self-test: the planted script: exit $code, expected 1"; wrong=1; }
  for part in "In tests/planted.sh line 3:" "SC2086" "shellcheck: 1 of 3 scripts have findings"; do
    grep -qF -- "$part" <<<"$out" || { echo "self-test: no \"$part\" in: $out"; wrong=1; }
  done
  if grep -qF "In course line" <<<"$out"; then echo "self-test: the clean course was named: $out"; wrong=1; fi
  out=$("$self" --root "$scratch" course .ci/run 2>&1); code=$?
  [ "$code" -eq 0 ] || { echo "self-test: the clean scripts: exit $code, expected 0: $out"; wrong=1; }
  [ "$wrong" -eq 0 ] && echo "self-test: the planted SC2086 was named, the clean scripts passed"
  return "$wrong"
}

main "$@"
