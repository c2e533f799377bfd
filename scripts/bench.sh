#!/usr/bin/env bash
# Every performance figure of the README in one run (release profile, builds what it needs):
# prints the table (target, measured, pass/fail) and writes target/perf.json, plus a copy of
# the table with the machine's load in target/perf.txt. Exits non-zero if a target is missed.
# Env: DESKPORT_BENCH_TICKETS (default 100000). Takes ~1 min after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
cargo bench --bench perf --no-run
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, uptime:$(uptime | sed 's/.*up/ up/')"
  cargo bench --bench perf
} | tee "$target/perf.txt"
