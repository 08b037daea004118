# tests/docs/chromium.sh — sourced by the docs checks (check_pages.sh, check_diagrams.sh).
# shellcheck shell=bash  # sourced by bash scripts, never run alone: it has no #! line
#
# chromium_binary: prints the Chromium to run: $CHROMIUM if set, else the first of Debian's
# chromium, chromium-browser or google-chrome on PATH; fails when there is none.
chromium_binary() {
  local c
  for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$c" ] && command -v "$c" >/dev/null && { command -v "$c"; return 0; }
  done
  return 1
}
