# Shared by the course runner and the scripts that build or test: how many jobs to run at once.
# shellcheck shell=bash  # sourced by bash scripts, never run alone: it has no #! line

# cpu_count: the processors online (nproc; getconf where coreutils' nproc is missing; else 1).
cpu_count() { nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1; }
