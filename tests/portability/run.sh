#!/usr/bin/env bash
# tests/portability/run.sh — the course on a fresh Debian system, as a new learner gets it.
#
#   tests/portability/run.sh [--release trixie] [--mirror URL] [--keep]
#   ./course test --portability          (the same, with the defaults)
#
# Makes a fresh, minimal Debian system of RELEASE (default trixie, Debian 13) in a folder with
# debootstrap, from the Debian mirror this machine's apt uses; clones the checkout's committed
# state (HEAD) into it; and runs the README's two commands there, as root, as a learner would:
# `./course demo`, then `./course test`. The course's own set-up installs every package.
#
# It passes when both exit 0 and their logs hold no compiler or Doxygen warning: the learner's
# build never fails on a warning, so a warning a new toolchain adds is caught here instead.
# The logs and a summary (versions, times, counts) are left in build-portability/ of the
# checkout. The chroot's mounts (/proc, /sys, /dev, /dev/pts, /dev/shm) live in a private mount
# namespace: they vanish with it, and the system folder is removed afterwards (--keep keeps it).
#
# Needs root (debootstrap, chroot, mount; through sudo when not root), about 5 GB of disk, and
# 20–30 minutes on 2 cores. It is not part of .ci/run.
set -uo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
release=trixie
mirror=
keep=0
usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { printf 'portability: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --release) [ $# -ge 2 ] || die "--release needs a Debian release name (such as trixie)"
               release=$2; shift 2 ;;
    --mirror) [ $# -ge 2 ] || die "--mirror needs a URL (such as http://deb.debian.org/debian)"
              mirror=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $release =~ ^[a-z]+$ ]] || die "'$release' is not a Debian release name (such as trixie)"

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "needs root (debootstrap, chroot, mount), and there is no sudo"
  again=(--release "$release")
  [ -n "$mirror" ] && again+=(--mirror "$mirror")
  [ "$keep" -eq 1 ] && again+=(--keep)
  exec sudo --preserve-env=TMPDIR "$0" "${again[@]}"
fi

# The mirror this machine's apt uses for Debian (not its security archive): the first one in
# its sources, in either format.
host_mirror() {
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/^deb (\[[^]]*\] )?//' | awk '{ print $1 }'
  } | grep -E '/debian/?$' | head -n1
}
[ -n "$mirror" ] || mirror=$(host_mirror)
[ -n "$mirror" ] || die "found no Debian mirror in this machine's apt sources: give one with --mirror URL"

for tool in debootstrap unshare git; do
  command -v "$tool" >/dev/null && continue
  [ "$tool" = debootstrap ] || die "$tool is missing"
  echo "Installing debootstrap"
  { apt-get update -q && apt-get install -y -q debootstrap; } >/dev/null 2>&1 ||
    die "apt-get could not install debootstrap"
done
[ -f "/usr/share/debootstrap/scripts/$release" ] ||
  die "this debootstrap does not know the release '$release'"

logs=$root/build-portability
mkdir -p "$logs" || die "cannot create $logs"
rm -f "$logs"/*.log "$logs/summary.txt"
work=$(mktemp -d "${TMPDIR:-/var/tmp}/course-portability.XXXXXX") || die "cannot create a work folder"
system=$work/system
cleanup() {
  # The mounts were made in the namespace of the chroot's shell and are gone with it; the
  # folder is removed only when nothing is mounted below it.
  if [ "$keep" -eq 1 ]; then echo "The system is kept in $system (chroot $system bash)"; return; fi
  if grep -qF " $work/" /proc/self/mountinfo; then
    echo "portability: something is still mounted below $work: not removed" >&2; return
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

if [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]; then
  echo "Note: the checkout has uncommitted changes; the check clones what is committed (HEAD)."
fi
commit=$(git -C "$root" rev-parse --short HEAD) || die "$root is not a git checkout"

now() { date +%s; }
elapsed() { local s=$(($2 - $1)); printf '%d min %02d s' $((s / 60)) $((s % 60)); }

echo "Debian $release from $mirror into $system"
t0=$(now)
debootstrap --variant=minbase --include=git,ca-certificates,sudo "$release" "$system" "$mirror" \
  >"$logs/debootstrap.log" 2>&1 || die "debootstrap failed: see $logs/debootstrap.log"
# What this machine's apt needs to reach its mirror (a snapshot's Release files are old).
cat >"$system/etc/apt/apt.conf.d/99portability" <<'APT'
Acquire::Check-Valid-Until "false";
Acquire::Check-Date "false";
APT
cp /etc/resolv.conf "$system/etc/resolv.conf" 2>/dev/null
cp /etc/hosts "$system/etc/hosts" 2>/dev/null
git clone --quiet "$root" "$system/root/course" || die "git clone of the checkout failed"
t1=$(now)
echo "  made in $(elapsed "$t0" "$t1"); checkout at $commit cloned into /root/course"

# in_system COMMAND: runs COMMAND with bash in the system, as root in /root/course, with a
# learner's plain environment, in a private mount namespace holding the system's mounts.
in_system() {
  # shellcheck disable=SC2016  # the inner bash expands $1 and $s: the script is its, not ours
  unshare --mount --propagation private bash -c '
    set -e
    s=$1; shift
    mount -t proc proc "$s/proc"
    mount -t sysfs sys "$s/sys"
    mount --bind /dev "$s/dev"
    mount --bind /dev/pts "$s/dev/pts"
    mount -t tmpfs -o mode=1777 shm "$s/dev/shm"
    exec chroot "$s" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      bash -c "cd /root/course && $*"
  ' bash "$system" "$@"
}

declare -A step_code=() step_time=()
run_step() {  # run_step NAME COMMAND: times COMMAND in the system, its output in NAME.log
  local name=$1 start code; shift
  echo "\$ $* (output: build-portability/$name.log)"
  start=$(now)
  in_system "$@" >"$logs/$name.log" 2>&1; code=$?
  step_code[$name]=$code; step_time[$name]=$(($(now) - start))
  echo "  exit $code after $(elapsed "$start" "$(now)")"
  [ "$code" -eq 0 ] || tail -n 15 "$logs/$name.log" | sed 's/^/  | /'
}
run_step demo ./course demo
run_step test ./course test

# Versions of what the course used there.
versions=$(in_system "dpkg-query -W -f='\${Package} \${Version}\n' g++ clang cmake libarmadillo-dev \
  libgtest-dev libbenchmark-dev doxygen libsleef-dev libcli11-dev chromium clang-format shellcheck libc6 \
  2>/dev/null")
# Warnings of the compilers and of Doxygen: "file:line[:col]: warning: ..."
warnings=$(grep -hE '^[^ ]+:[0-9]+(:[0-9]+)?: warning' "$logs/demo.log" "$logs/test.log" | sort -u)
warning_count=$(grep -c . <<<"$warnings")
summary=$(grep -E '^course test: ' "$logs/test.log" | tail -n1)

{
  echo "Portability check: Debian $release ($(cat "$system/etc/debian_version" 2>/dev/null)), checkout $commit, $(nproc) cores"
  echo "  system made in          $(elapsed "$t0" "$t1")"
  echo "  ./course demo           exit ${step_code[demo]}, $(elapsed 0 "${step_time[demo]}")"
  echo "  ./course test           exit ${step_code[test]}, $(elapsed 0 "${step_time[test]}"): ${summary:-no summary line}"
  echo "  warnings in the builds  $warning_count"
  echo "Versions:"
  while IFS= read -r line; do echo "  $line"; done <<<"$versions"
} | tee "$logs/summary.txt"
if [ "$warning_count" -gt 0 ]; then
  echo "The warnings (a learner's build goes on; the course should have none):"
  head -n 10 <<<"$warnings" | sed 's/^/  /'
fi

[ "${step_code[demo]}" -eq 0 ] && [ "${step_code[test]}" -eq 0 ] && [ "$warning_count" -eq 0 ]
