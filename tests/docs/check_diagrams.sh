#!/usr/bin/env bash
# check_diagrams.sh HTML_DIR TABLE SHOTS_DIR     check the diagrams and the themes; exit 1 on a fault
# check_diagrams.sh --self-test HTML_DIR TABLE   prove the check can fail (see self_test below)
#
# The docs test of the diagrams (label docs), after the pages are built:
#   - every row of TABLE (tests/docs/diagrams.txt): the page shows the SVG (an iframe or object
#     whose src is it), the SVG is there and not empty, it has every node the row names (by the
#     <title> Graphviz gives each node), and exactly the nodes the row lists are drawn
#     highlighted (view.gvpr's colour, #c92a2a);
#   - no dead link from a diagram: every xlink:href of every dot_*.svg is not empty (an empty
#     one is a \ref Doxygen could not resolve), names a file of the pages, and its #anchor is
#     an id or name in that file;
#   - both themes, on the main page and chapter 09: each is opened in headless Chromium in
#     light and in dark mode (--force-dark-mode, as a reader whose system prefers dark), and a
#     screenshot of each is written to SHOTS_DIR for a person to look at. A copy of the page
#     with a probe script reports, once MathJax has finished, the page's background colour, the
#     colour of its formulas, whether the theme switched to dark, and the filter on its
#     diagrams. Dark mode must give a dark background (relative luminance below 0.2), formulas
#     legible on it (contrast ratio at least 4.5, WCAG's AA) and inverted diagrams; light mode a
#     light background and legible formulas.
# One line per check (ok / FAIL and why), then "N checks, M failed".
set -uo pipefail

self=$(readlink -f "$0")
highlight='#c92a2a'
budget_ms=10000
timeout_s=60

die() { echo "check_diagrams: $*" >&2; exit 2; }

# shellcheck source=tests/docs/chromium.sh
. "$(dirname "$self")/chromium.sh"

# chromium ARGS...: headless Chromium with the course's settings (as check_pages.sh: no
# sandbox, which cannot start as root; no network; a fresh profile).
chromium() {
  local profile status
  profile=$(mktemp -d)
  timeout "$timeout_s" "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --disable-dev-shm-usage --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" \
    --virtual-time-budget="$budget_ms" --window-size=1400,1000 "$@" 2>/dev/null
  status=$?
  rm -rf "$profile"
  return "$status"
}

# svg_problems HTML_DIR PAGE SVG NODES HIGHLIGHTED: one line per fault of one table row.
svg_problems() {
  perl -CSD -e '
    use strict; use warnings;
    my ($dir, $page, $svg, $nodes, $lit, $colour) = @ARGV;
    sub slurp { my ($f) = @_; open(my $h, "<:encoding(UTF-8)", $f) or return undef; local $/; my $t = <$h>; close $h; return $t; }
    my $html = slurp("$dir/$page");
    if (!defined $html) { print "no page $page\n"; exit; }
    print "$page does not show $svg\n" unless $html =~ /<(?:iframe|object|img)\b[^>]*\b(?:src|data)="\Q$svg\E"/;
    my $text = slurp("$dir/$svg");
    if (!defined $text) { print "no file $svg\n"; exit; }
    if ($text !~ /<svg\b/) { print "$svg is empty or not an SVG (" . length($text) . " bytes)\n"; exit; }
    my %drawn;    # node name -> highlighted?
    for my $chunk (split /<g id="(?:node|edge)\d+" class="(?=node|edge)/, $text) {
      next unless $chunk =~ /^node">\s*<title>([^<]*)<\/title>/;
      my $name = $1;
      $drawn{$name} = ($chunk =~ /stroke="\Q$colour\E"/) ? 1 : 0;
    }
    my @missing = grep { !exists $drawn{$_} } split " ", $nodes;
    print "$svg has no node " . join(", ", @missing) . "\n" if @missing;
    my @lit = grep { $_ ne "-" } split " ", $lit;
    my %want = map { $_ => 1 } @lit;
    my @dim = grep { exists $drawn{$_} && !$drawn{$_} } @lit;
    my @extra = grep { $drawn{$_} && !$want{$_} } sort keys %drawn;
    print "$svg does not highlight " . join(", ", @dim) . "\n" if @dim;
    print "$svg highlights what the chapter does not teach: " . join(", ", @extra) . "\n" if @extra;
  ' "$@" "$highlight"
}

# svg_links HTML_DIR SVG: one line per link of the SVG that is empty or dead.
svg_links() {
  perl -CSD -e '
    use strict; use warnings;
    my ($dir, $svg) = @ARGV;
    sub slurp { my ($f) = @_; open(my $h, "<:encoding(UTF-8)", $f) or return undef; local $/; my $t = <$h>; close $h; return $t; }
    my $text = slurp("$dir/$svg") // exit;
    my (%seen, %ids);
    while ($text =~ /<a\b[^>]*\bxlink:href="([^"]*)"[^>]*?(?:xlink:title="([^"]*)")?/g) {
      my ($url, $title) = ($1, $2 // "?");
      if ($url eq "") { print "$svg: an unresolved link (the \\ref of $title)\n"; next; }
      next if $url =~ /^[A-Za-z][A-Za-z0-9+.-]*:/ || $seen{$url}++;
      my ($path, $frag) = $url =~ /^([^#]*)(?:#(.*))?$/;
      my $target = "$dir/$path";
      if ($path eq "" || !-f $target) { print "$svg: dead link $url\n"; next; }
      next unless defined $frag && $frag ne "";
      $ids{$target} //= { map { $_ => 1 } ((slurp($target) // "") =~ /\b(?:id|name)="([^"]*)"/g) };
      print "$svg: no anchor $url\n" unless $ids{$target}{$frag};
    }
  ' "$@"
}

# The probe: once MathJax has finished, the page's colours and the theme's state go into an
# attribute of <html>, which --dump-dom shows.
probe_script='<script type="text/javascript">
(function () {
  var tries = 0;
  function report() {
    var css = window.getComputedStyle, doc = document, root = doc.documentElement;
    var bg = css(doc.body).backgroundColor;
    if (/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) bg = css(root).backgroundColor;
    var math = doc.querySelector(".MathJax");
    var graph = doc.querySelector("div.dotgraph iframe");
    root.setAttribute("data-bp-probe", ["bg=" + bg, "math=" + (math ? css(math).color : "none"),
      "dark=" + (root.classList.contains("dark-mode") ? 1 : 0),
      "filter=" + (graph ? css(graph).filter : "none")].join(";"));
  }
  function wait() {
    var hub = window.MathJax && MathJax.Hub;
    var done = hub && hub.queue && hub.queue.pending === 0 && document.querySelector(".MathJax");
    if (done || ++tries > 80) report(); else setTimeout(wait, 100);
  }
  window.addEventListener("load", function () { setTimeout(wait, 100); });
})();
</script>'

# theme_problems HTML_DIR PAGE MODE SHOT: screenshot of PAGE in MODE (light | dark) into SHOT,
# then one line per fault the probe finds.
theme_problems() {
  local dir=$1 page=$2 mode=$3 shot=$4 flags=() scratch probe dom
  [ "$mode" = dark ] && flags=(--force-dark-mode)
  chromium "${flags[@]}" --screenshot="$shot" "file://$dir/$page" >/dev/null
  [ -s "$shot" ] || echo "no screenshot of $page in $mode mode"
  scratch=$(mktemp -d)
  for probe in "$dir"/*; do ln -s "$probe" "$scratch/"; done
  rm "$scratch/$page"
  PROBE=$probe_script perl -pe 's|</body>|$ENV{PROBE}</body>|' "$dir/$page" >"$scratch/$page"
  dom=$(chromium "${flags[@]}" --dump-dom "file://$scratch/$page")
  rm -rf "$scratch"
  probe=$(grep -oE 'data-bp-probe="[^"]*"' <<<"$dom" | head -n1)
  if [ -z "$probe" ]; then echo "$page in $mode mode: the probe did not report (the page did not load?)"; return; fi
  perl -e '
    use strict; use warnings;
    my ($probe, $page, $mode) = @ARGV;
    my %p = $probe =~ /(\w+)=([^;"]*)/g;
    sub lum {    # WCAG relative luminance of "rgb(r, g, b)" or "rgba(...)"
      my @c = $_[0] =~ /(\d+(?:\.\d+)?)/g;
      return undef unless @c >= 3;
      my @l = map { my $v = $_ / 255; $v <= 0.03928 ? $v / 12.92 : (($v + 0.055) / 1.055) ** 2.4 } @c[0..2];
      return 0.2126 * $l[0] + 0.7152 * $l[1] + 0.0722 * $l[2];
    }
    my $bg = lum($p{bg});
    my $math = $p{math} eq "none" ? undef : lum($p{math});
    my $say = sub { print "$page in $mode mode: $_[0]\n" };
    if (!defined $bg) { $say->("no background colour ($p{bg})"); exit; }
    if ($mode eq "dark") {
      $say->("the theme did not switch to dark mode") unless $p{dark};
      $say->(sprintf("the background is not dark (%s, luminance %.2f)", $p{bg}, $bg)) if $bg >= 0.2;
      $say->("the diagrams are not inverted (filter: $p{filter})")
        if $p{filter} ne "none" && $p{filter} !~ /invert/;
    } else {
      $say->("the theme is in dark mode") if $p{dark};
      $say->(sprintf("the background is not light (%s, luminance %.2f)", $p{bg}, $bg)) if $bg <= 0.8;
    }
    if (!defined $math) { $say->("no formula rendered"); exit; }
    my ($hi, $lo) = $bg > $math ? ($bg, $math) : ($math, $bg);
    my $contrast = ($hi + 0.05) / ($lo + 0.05);
    $say->(sprintf("formulas are hard to read (%s on %s, contrast %.1f)", $p{math}, $p{bg}, $contrast))
      if $contrast < 4.5;
  ' "$probe" "$page" "$mode"
}

# table_rows TABLE: the rows, comments and blank lines dropped, fields separated by tabs.
table_rows() {
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$1" | sed -E 's/ *\| */\t/g'
}

# check_all HTML_DIR TABLE SHOTS_DIR: every check; prints the lines and the summary.
check_all() {
  local dir=$1 table=$2 shots=$3 checks=0 failed=0 page svg nodes lit out
  result() {  # result NAME PROBLEMS
    checks=$((checks + 1))
    if [ -z "$2" ]; then echo "ok    $1"; else failed=$((failed + 1)); echo "FAIL  $1: ${2//$'\n'/; }"; fi
  }
  while IFS=$'\t' read -r page svg nodes lit; do
    result "$page shows $svg" "$(svg_problems "$dir" "$page" "$svg" "$nodes" "$lit")"
  done < <(table_rows "$table")
  for svg in "$dir"/dot_*.svg; do
    [ -e "$svg" ] || continue
    result "links of $(basename "$svg")" "$(svg_links "$dir" "$(basename "$svg")")"
  done
  if [ -n "$shots" ]; then
    mkdir -p "$shots" || die "cannot create $shots"
    for page in index.html ch09.html; do
      for mode in light dark; do
        out=$(theme_problems "$dir" "$page" "$mode" "$shots/${page%.html}_$mode.png")
        result "$page in $mode mode (screenshot ${shots##*/}/${page%.html}_$mode.png)" "$out"
      done
    done
  fi
  echo "$checks checks, $failed failed"
  [ "$failed" -eq 0 ]
}

# self_test HTML_DIR TABLE: each fault the check is for, made one at a time in a scratch copy of
# the pages (links to HTML_DIR's files, the broken file a copy), must be reported with its own
# reason; the unbroken copy must pass.
self_test() {
  local html=$1 table=$2 wrong=0 out
  scratch=""  # global: the EXIT trap removes it
  fresh() { rm -rf "$scratch"; scratch=$(mktemp -d); local f; for f in "$html"/*; do ln -s "$f" "$scratch/"; done; }
  broken() {  # broken FILE PERL: FILE of the scratch copy replaced by an edited copy
    rm "$scratch/$1"; perl -pe "$2" "$html/$1" >"$scratch/$1" || die "could not break $1"
  }
  expect() {  # expect WHAT REASON: the check of the scratch copy must fail naming REASON
    out=$(check_all "$scratch" "$table" "" 2>&1)
    if grep '^FAIL' <<<"$out" | grep -qF -- "$2"; then echo "caught: $1"
    else echo "self-test: not caught: $1 (expected \"$2\")"; wrong=1; fi
  }
  scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
  fresh
  if check_all "$scratch" "$table" "" >/dev/null; then echo "passes: the unbroken copy"
  else echo "self-test: the unbroken copy did not pass"; wrong=1; fi
  # shellcheck disable=SC2016  # Perl below
  {
    fresh; broken dot_ch07_circuit.svg 's|<title>dZ2</title>|<title>dZ2_renamed</title>|'
    expect "a node missing from a diagram" "dot_ch07_circuit.svg has no node dZ2"
    fresh; rm "$scratch/dot_ch08_circuit.svg"; : >"$scratch/dot_ch08_circuit.svg"
    expect "an empty SVG" "dot_ch08_circuit.svg is empty or not an SVG"
    fresh; broken ch09.html 's|src="dot_ch09_circuit.svg"|src="elsewhere.svg"|'
    expect "a page that does not show its diagram" "ch09.html does not show dot_ch09_circuit.svg"
    fresh; broken dot_ch07_circuit.svg 's|stroke="#c92a2a"|stroke="#343a40"|g'
    expect "a chapter's part not highlighted" "dot_ch07_circuit.svg does not highlight dL, dZ2, dW2, db2"
    fresh; broken dot_ch08_circuit.svg 's|stroke="#adb5bd"|stroke="#c92a2a"|'
    expect "a part highlighted that the chapter does not teach" "dot_ch08_circuit.svg highlights what the chapter does not teach"
    fresh; broken dot_circuit_backward.svg 's|xlink:href="[^"]+"|xlink:href=""|'
    expect "an unresolved \\ref in a diagram" "dot_circuit_backward.svg: an unresolved link"
    fresh; broken dot_network.svg 's|xlink:href="[^"#]+|xlink:href="no-such-page.html|'
    expect "a dead link in a diagram" "dot_network.svg: dead link no-such-page.html"
  }
  # The themes: a copy of the main page without the theme's style sheets has no dark mode.
  fresh; broken index.html 's|<link href="doxygen-awesome[^>]*>||g'
  out=$(theme_problems "$scratch" index.html dark "$scratch/shot.png")
  if grep -qF "the background is not dark" <<<"$out"; then echo "caught: a page without the dark theme"
  else echo "self-test: not caught: a page without the dark theme (got: $out)"; wrong=1; fi
  out=$(theme_problems "$html" index.html dark "$scratch/shot.png")
  if [ -z "$out" ]; then echo "passes: the main page in dark mode"
  else echo "self-test: the main page in dark mode did not pass: $out"; wrong=1; fi
  [ "$wrong" -eq 0 ] && echo "self-test: every fault was caught, each for its own reason"
  return "$wrong"
}

case "${1:-}" in
  --self-test) mode=self; html=${2:-}; table=${3:-}; shots="" ;;
  -h|--help|"") sed -n '2,3p' "$0"; exit 2 ;;
  *) mode=check; html=$1; table=${2:-}; shots=${3:-} ;;
esac
[ -d "$html" ] || die "no such folder: $html (build the pages first: cmake --build BUILD --target docs)"
html=$(cd "$html" && pwd)
[ -f "$table" ] || die "no table of diagrams: '$table'"
browser=$(chromium_binary) || die "Chromium is needed for the themes' check, and was not found. Install it (Debian: apt-get install chromium; ./course test does), or set CHROMIUM=/path/to/chrome."
if [ "$mode" = self ]; then self_test "$html" "$table"; exit; fi
[ -n "$shots" ] || die "usage: check_diagrams.sh HTML_DIR TABLE SHOTS_DIR"
echo "Checking the diagrams of $html and both themes; screenshots in $shots"
check_all "$html" "$table" "$shots"
