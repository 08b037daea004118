# Shared by the style checks (check_format.sh, check_shell.sh): their arguments.
# shellcheck shell=bash  # sourced by bash scripts, never run alone: it has no #! line

usage() { echo "usage: tests/style/${0##*/} [--root DIR] [FILE...] | --self-test"; }
bad_usage() { echo "${0##*/}: $* ($(usage))" >&2; exit 2; }

# style_arguments ARGS...: reads [--root DIR] [FILE...] | --self-test | --help. Sets $root (the
# checkout to check), $mode (check, self-test or help) and $named: each FILE as the check opens
# it, read from the checkout's root or else from the current folder. Bad arguments: one line on
# stderr, exit 2.
# shellcheck disable=SC2034  # $mode and $named are the results: the sourcing check reads them
style_arguments() {
  local files=() file
  mode=check; named=()
  while [ $# -gt 0 ]; do
    case $1 in
      --root) [ $# -ge 2 ] || bad_usage "--root needs a folder"
              root=$(cd "$2" 2>/dev/null && pwd) || bad_usage "--root: no folder $2"; shift 2 ;;
      --self-test) [ $# -eq 1 ] || bad_usage "--self-test takes no other argument"; mode=self-test; shift ;;
      -h | --help) mode=help; shift ;;
      -*) bad_usage "unknown option $1" ;;
      *) files+=("$1"); shift ;;
    esac
  done
  for file in "${files[@]}"; do
    if [[ $file != /* ]] && [ -f "$root/$file" ]; then named+=("$file")
    elif [ -f "$file" ]; then named+=("$(readlink -f "$file")")
    else bad_usage "no file $file"; fi
  done
}
