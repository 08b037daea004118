#!/usr/bin/env bash
# check_pages.sh HTML_DIR               check the generated pages; exit 1 if any fails
# check_pages.sh --self-test HTML_DIR   prove the check can fail (see self_test below)
#
# The docs test (label docs). Every page of HTML_DIR is read for TeX that Doxygen left as text
# (a \f$, \f[ or \f{ it did not turn into a formula). Every page that holds a formula is then
# opened in headless Chromium: MathJax runs (--virtual-time-budget lets its scripts finish
# before the DOM is taken) and the DOM Chromium dumps must show that
#   - the page loaded: the DOM is not empty and is the Doxygen page, with MathJax started;
#   - every formula rendered: each <script type="math/tex..."> MathJax made from a formula has
#     its MathJax-Element-N-Frame, and no merror, MathJax_Error or "Math Processing Error";
#   - MathJax saw every formula: no \( \[ \begin{ left outside the formula scripts;
#   - no \f$ \f[ \f{ is left anywhere.
# Every page, with a formula or not, is also read for what it points to (links_and_images):
#   - every image loads: each <img src> names a file that exists, and a .png one starts with the
#     PNG signature (the DOM Chromium dumps cannot say whether an image decoded; the file can);
#   - no link is dead: every local href and src (a <a>, a style sheet, a script), its #fragment
#     and ?query removed, names a file that exists, and a #fragment names an id="..." or
#     name="..." in the page it points to;
#   - no reference solution is unfolded: each sits in a closed <details class="bp-solution">
#     with its code inside; and no page source shows one with a bare \snippet of solutions/.
# One line per page (ok / FAIL and why), then "N pages checked, M failed".
# Pages without a formula are not opened: there is nothing for MathJax to do on them, and a
# Chromium start costs about 2 s. Pages run one per processor at a time (BP_DOCS_JOBS to change it).
set -uo pipefail

self=$(readlink -f "$0")
# shellcheck source=tests/support/jobs.sh
. "$(dirname "$self")/../support/jobs.sh"
jobs=${BP_DOCS_JOBS:-$(cpu_count)}
budget_ms=10000    # virtual time for MathJax to finish: it runs faster than real time
timeout_s=60       # real time, for a Chromium that hangs

die() { echo "check_pages: $*" >&2; exit 2; }

# shellcheck source=tests/docs/chromium.sh
. "$(dirname "$self")/chromium.sh"

# TeX a formula must not leave as text. Doxygen's commands: \f$ \f[ \f] \f{ \f}.
raw_doxygen='\\f[][$}{]'
# MathJax's delimiters, as Doxygen writes formulas for it: \( \) \[ \] \begin{...}.
raw_mathjax='\\[][()]|\\begin\{'

# has_formula PAGE: the page's HTML holds TeX, made by Doxygen or left by it.
has_formula() { grep -qE "$raw_mathjax|$raw_doxygen" "$1"; }

# without_scripts_and_styles: stdin with every <script> and <style> element removed. The TeX of
# each formula lives on in a script of type math/tex, the page's own scripts are JavaScript,
# and MathJax's style sheet names its error classes; what is left is the page as shown.
without_scripts_and_styles() { perl -0777 -pe 's{<(script|style)\b.*?</\1>}{}gis'; }

count() { grep -oE "$1" | wc -l; }

# links_and_images PAGE: one line per image that does not load or link that is dead; nothing
# when all is well. Links to other sites (http:, https:, mailto:, javascript:) are not followed:
# the pages must work offline, and the check does not use the network.
links_and_images() {
  perl -CSD -e '
    use strict; use warnings;
    use File::Basename qw(dirname);
    my ($page) = @ARGV;
    my $dir = dirname($page);
    my %ids;    # file -> { id => 1 }
    sub slurp { my ($f) = @_; open(my $h, "<:encoding(UTF-8)", $f) or return undef; local $/; my $t = <$h>; close $h; return $t; }
    sub ids_of {
      my ($f) = @_;
      return $ids{$f} if $ids{$f};
      my %set; my $t = slurp($f) // "";
      $set{$1} = 1 while $t =~ /\b(?:id|name)\s*=\s*"([^"]*)"/g;
      return $ids{$f} = \%set;
    }
    sub unescape { my ($u) = @_; $u =~ s/&amp;/&/g; $u =~ s/&quot;/"/g; $u =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge; return $u; }
    my $html = slurp($page) // exit 0;
    # Script bodies are JavaScript, not links; the <script src=...> tag itself is kept.
    $html =~ s{(<script\b[^>]*>).*?(</script>)}{$1$2}gis;
    my %seen;
    while ($html =~ /<(\w+)\b([^>]*)>/g) {
      my ($tag, $attrs) = (lc $1, $2);
      while ($attrs =~ /\b(href|src)\s*=\s*"([^"]*)"/gi) {
        my ($attr, $raw) = (lc $1, $2);
        next if $raw eq "" || $raw =~ /^[A-Za-z][A-Za-z0-9+.-]*:/;
        my $url = unescape($raw);
        my ($path, $frag) = $url =~ /^([^#]*)(?:#(.*))?$/;
        $path =~ s/\?.*$//;
        my $target = $path eq "" ? $page : "$dir/$path";
        my $key = "$tag $url";
        next if $seen{$key}++;
        if ($tag eq "img") {
          if (!-f $target) { print "image does not load: $raw (no such file)\n"; next; }
          if ($path =~ /\.png$/i) {
            open(my $h, "<:raw", $target) or do { print "image does not load: $raw (unreadable)\n"; next; };
            my $sig = ""; read($h, $sig, 8); close $h;
            print "image does not load: $raw (not a PNG)\n" unless $sig eq "\x89PNG\r\n\x1a\n";
          } elsif (-z $target) {
            print "image does not load: $raw (empty file)\n";
          }
          next;
        }
        if ($path ne "" && !-e $target) { print "dead link: $raw\n"; next; }
        if (defined $frag && $frag ne "" && -f $target && $target =~ /\.html?$/i) {
          print "no anchor: $raw\n" unless ids_of($target)->{$frag};
        }
      }
    }
  ' "$1"
}

# folded_solutions PAGE: one line per reference solution the page shows unfolded; nothing when
# every one is folded. A reference solution is a <details class="bp-solution"> block (Doxygen's
# alias \solution, docs/Doxyfile.in): it must not be open, and its code (the fragment Doxygen
# makes of the snippet) must sit inside it, before its </details>.
folded_solutions() {
  perl -0777 -ne '
    while (/<details\b([^>]*\bclass="bp-solution"[^>]*)>(.*?)<\/details>/gs) {
      my ($attrs, $body) = ($1, $2);
      print "a reference solution is unfolded (its <details> is open)\n" if $attrs =~ /\bopen\b/;
      print "a reference solution'"'"'s code is outside its folded block\n" unless $body =~ /class="fragment"/;
    }
  ' "$1"
}

# unfolded_in_sources ROOT: one line per page source (chapters/*/README.md, docs/*.md) that
# shows a reference solution with a bare \snippet of solutions/, outside the folding \solution.
unfolded_in_sources() {
  grep -nE '\\snippet(\{[^}]*\})? +solutions/' "$1"/chapters/*/README.md "$1"/docs/*.md 2>/dev/null |
    sed -E -e "s|^$1/||" -e 's|^([^:]+:[0-9]+):.*|\1: a reference solution shown unfolded (a bare \\snippet of solutions/, not \\solution{...})|'
}

# check_page PAGE: one line, ok or FAIL; returns 1 on FAIL.
check_page() {
  local page=$1 name reasons=()
  name=$(basename "$page")
  if ! grep -q 'name="generator" content="Doxygen' "$page" 2>/dev/null; then
    report "$name" "not a Doxygen page ($(wc -c <"$page" 2>/dev/null || echo no) bytes)"
    return
  fi
  local broken
  mapfile -t broken < <(links_and_images "$page"; folded_solutions "$page")
  if ! has_formula "$page"; then
    if [ "${#broken[@]}" -gt 0 ]; then
      report "$name" "${broken[@]}"
      return
    fi
    echo "ok    $name (no formula)"
    return 0
  fi

  local profile dom log status
  profile=$(mktemp -d) dom=$(mktemp) log=$(mktemp)
  # --no-sandbox: the sandbox cannot start as root or in most containers; the pages are our
  # own local files. No network: MathJax is a local link, and background services are off.
  timeout "$timeout_s" "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --disable-dev-shm-usage --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" \
    --virtual-time-budget="$budget_ms" --dump-dom "file://$page" >"$dom" 2>"$log"
  status=$?
  rm -rf "$profile"

  local scripts frames shown errors left
  scripts=$(count '<script type="math/tex' <"$dom")
  frames=$(count 'id="MathJax-Element-[0-9]+-Frame"' <"$dom")
  shown=$(without_scripts_and_styles <"$dom")
  errors=$(count 'merror|MathJax_Error|Math Processing Error' <<<"$shown")
  left=$(grep -oE "$raw_mathjax|$raw_doxygen" <<<"$shown" | sort | uniq -c |
         awk '{ printf "%s%s (%d)", sep, $2, $1; sep = ", " }')
  if [ "$status" -eq 124 ]; then reasons+=("Chromium timed out after ${timeout_s} s")
  elif [ "$status" -ne 0 ]; then reasons+=("Chromium exited with code $status")
  fi
  if ! grep -q 'name="generator" content="Doxygen' "$dom"; then
    reasons+=("the page did not load (a DOM of $(wc -c <"$dom") bytes)")
  elif ! grep -q 'id="MathJax_Message"' "$dom"; then
    reasons+=("MathJax did not start (is html/mathjax a link to MathJax 2?)")
  fi
  [ "$frames" -eq "$scripts" ] || reasons+=("$frames of $scripts formulas rendered")
  [ "$errors" -eq 0 ] || reasons+=("$errors MathJax error(s)")
  [ -z "$left" ] || reasons+=("TeX left as text: $left")
  reasons+=("${broken[@]}")

  if [ "${#reasons[@]}" -eq 0 ]; then
    echo "ok    $name ($scripts formula$([ "$scripts" -eq 1 ] || echo s))"
    rm -f "$dom" "$log"
    return 0
  fi
  report "$name" "${reasons[@]}"
  if [ -n "${BP_DOCS_KEEP:-}" ]; then
    echo "      kept: the DOM in $dom, Chromium's messages in $log"
  else
    rm -f "$dom" "$log"
  fi
  return 1
}

# report NAME REASON...: the FAIL line.
report() {
  local name=$1 joined
  shift
  joined=$(printf '%s; ' "$@")
  echo "FAIL  $name: ${joined%; }"
  return 1
}

# check_pages PAGE...: every page, $jobs at a time; prints the summary; returns 1 if any failed.
check_pages() {
  local results
  results=$(mktemp)
  printf '%s\0' "$@" |
    xargs -0 -n 1 -P "$jobs" bash "$self" --page | tee "$results"
  local checked failed
  checked=$(grep -c '' "$results")
  failed=$(grep -c '^FAIL' "$results")
  rm -f "$results"
  echo "$checked pages checked, $failed failed"
  [ "$checked" -eq "$#" ] || { echo "check_pages: $# pages given, $checked reported"; return 1; }
  [ "$failed" -eq 0 ]
}

# self_test HTML_DIR: copies of a page with formulas, each broken in one way, beside an
# unbroken copy, in a scratch folder that links everything else of HTML_DIR (styles, scripts,
# MathJax). The unbroken copy must pass, and each broken one must fail for its own reason.
self_test() {
  local html=$1 sample
  sample=$html/index.html
  has_formula "$sample" || sample=$(grep -lE "$raw_mathjax" "$html"/*.html | head -n 1)
  [ -n "$sample" ] || die "no page with a formula in $html to break"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  local f
  for f in "$html"/*; do ln -s "$f" "$scratch/"; done

  # edit NAME PERL: a copy of the sample, edited by a Perl substitution.
  edit() { perl -pe "$2" "$sample" >"$scratch/$1.html" || die "could not make $1.html"; }
  cp "$sample" "$scratch/unbroken.html"
  # shellcheck disable=SC2016  # $1 and \$ below are Perl's
  {
    # Three faults on one page (each check is independent, so each shows in the FAIL line):
    # TeX that does not parse, a macro MathJax does not know, and a formula Doxygen missed.
    edit broken 's|(<div class="contents">)|$1<p>\\(\\frac{1}{\\) \\(\\notamacro x\\) \\f\$ x W_1 \\f\$</p>|'
    edit no_mathjax 's|mathjax/MathJax\.js|no-mathjax-here/MathJax.js|'
    # A page that does not load: it sends the browser on to a file that does not exist.
    edit not_loaded 's|(<head>)|$1<meta http-equiv="refresh" content="0; url=no-such-page.html"/>|'
    # An image that is missing and one that is not a PNG; a link to a page that does not exist
    # and one to an anchor that does not.
    edit broken_image 's|(<div class="contents">)|$1<img src="no-such-figure.png" alt="gone"/><img src="not_a_png.png" alt="text"/>|'
    edit dead_link 's|(<div class="contents">)|$1<a href="no-such-page.html">gone</a> <a href="index.html#no-such-anchor">nowhere</a>|'
    # A reference solution rendered open, and one whose code sits after its folded block.
    edit unfolded 's|(<div class="contents">)|$1<details class="bp-solution" open><summary>s</summary><div class="fragment">x</div></details><details class="bp-solution"><summary>s</summary></details><div class="fragment">y</div>|'
  }
  printf '' >"$scratch/empty.html"
  echo 'this is not a PNG' >"$scratch/not_a_png.png"

  # Each broken copy and a reason its FAIL line must give.
  local expect=(
    "broken|2 MathJax error(s)"
    'broken|TeX left as text: \f$ (2)'
    "no_mathjax|MathJax did not start"
    "not_loaded|the page did not load"
    "empty|not a Doxygen page"
    "broken_image|image does not load: no-such-figure.png (no such file)"
    "broken_image|image does not load: not_a_png.png (not a PNG)"
    "dead_link|dead link: no-such-page.html"
    "dead_link|no anchor: index.html#no-such-anchor"
    "unfolded|a reference solution is unfolded (its <details> is open)"
    "unfolded|a reference solution's code is outside its folded block")
  local pages=("$scratch"/{unbroken,broken,no_mathjax,not_loaded,empty,broken_image,dead_link,unfolded}.html) pair
  echo "Copies of $(basename "$sample"), all but unbroken.html broken: each of those must FAIL"
  local out wrong=0
  out=$(check_pages "${pages[@]}")
  echo "$out"
  grep -q '^ok    unbroken.html' <<<"$out" || { echo "self-test: the unbroken copy did not pass"; wrong=1; }
  for pair in "${expect[@]}"; do
    grep "^FAIL  ${pair%%|*}\.html: " <<<"$out" | grep -qF -- "${pair#*|}" ||
      { echo "self-test: ${pair%%|*}.html was not caught as: ${pair#*|}"; wrong=1; }
  done
  # A page source with a bare \snippet of solutions/ must be reported, a folded one not.
  mkdir -p "$scratch/src/chapters/99_planted" "$scratch/src/docs"
  printf '%s\n' '# Planted' '\solution{solutions/01_shapes/shapes.cpp,affine}' \
    '\snippet solutions/01_shapes/shapes.cpp affine' >"$scratch/src/chapters/99_planted/README.md"
  local sources
  sources=$(unfolded_in_sources "$scratch/src")
  echo "$sources"
  if [ "$(grep -c '' <<<"$sources")" -ne 1 ] ||
     ! grep -qF 'chapters/99_planted/README.md:3: a reference solution shown unfolded' <<<"$sources"; then
    echo "self-test: the bare \snippet of solutions/ on line 3 was not caught alone"; wrong=1
  fi
  [ "$wrong" -eq 0 ] && echo "self-test: every broken copy was caught, each for its own reason"
  return "$wrong"
}

case "${1:-}" in
  --page)
    browser=$(chromium_binary) || die "Chromium was not found"
    check_page "$2"; exit ;;
  --self-test) mode=self; html=${2:-} ;;
  -h|--help|"") sed -n '2,3p' "$0"; exit 2 ;;
  *) mode=check; html=$1 ;;
esac

[ -d "$html" ] || die "no such folder: $html (build the pages first: cmake --build BUILD --target docs)"
html=$(cd "$html" && pwd)
[ -f "$html/index.html" ] || die "no index.html in $html (build the pages first: cmake --build BUILD --target docs)"
chromium_binary >/dev/null || die "Chromium is needed to check that the formulas render, and was not found. Install it (Debian: apt-get install chromium; ./course test does), or set CHROMIUM=/path/to/chrome."

if [ "$mode" = self ]; then
  self_test "$html"
  exit
fi
# Pages only: search/ holds the search box's result frames, which have no content of their own.
mapfile -d '' pages < <(find "$html" -maxdepth 1 -name '*.html' -print0 | sort -z)
[ "${#pages[@]}" -gt 0 ] || die "no pages in $html"
with_formulas=0
for page in "${pages[@]}"; do has_formula "$page" && with_formulas=$((with_formulas + 1)); done
echo "Checking ${#pages[@]} pages of $html; the $with_formulas with formulas in headless Chromium, $jobs at a time"
unfolded=$(unfolded_in_sources "$(cd "$(dirname "$self")/../.." && pwd)")
if [ -n "$unfolded" ]; then
  echo "FAIL  page sources: $unfolded"
fi
check_pages "${pages[@]}" && [ -z "$unfolded" ]
