#!/usr/bin/env bash
# Runs the benchmark programs of a build and prints their results (`make bench` calls it
# after building). One section per program; a program that is not built is skipped.
#
#   tools/bench.sh [BUILD_DIR] [-- EXTRA_GOOGLE_BENCHMARK_FLAGS...]
#
#   tools/bench.sh build                                   # everything
#   tools/bench.sh build -- --benchmark_filter='Uncross'   # one family
#
# Google Benchmark results are also written as JSON to BUILD_DIR/bench-results/<program>.json.
# docs/PERFORMANCE.md says how to read them and quotes the numbers with their machine.
set -euo pipefail

BUILD_DIR=${1:-build}
shift || true
if [[ ${1:-} == "--" ]]; then shift; fi
EXTRA_GBENCH_FLAGS=("$@")

BIN_DIR="$BUILD_DIR/bin"
OUT_DIR="$BUILD_DIR/bench-results"
mkdir -p "$OUT_DIR"

section() {
  printf '\n==== %s ====\n' "$1"
}

machine_summary() {
  section "machine"
  local cpu build_type
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
  echo "cpu:        ${cpu:-unknown} ($(nproc) online)"
  echo "memory:     $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}') total"
  echo "kernel:     $(uname -r)"
  echo "compiler:   $(${CXX:-c++} --version 2>/dev/null | head -n1)"
  echo "build type: ${build_type:-unknown} ($BUILD_DIR)"
  echo "load avg:   $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (numbers are noisy when this is high)"
}

failures=0

# A Google Benchmark program: tabular counters on the console, JSON next to the build.
run_gbench() {
  local name=$1
  local exe="$BIN_DIR/$name"
  section "$name"
  if [[ ! -x "$exe" ]]; then
    echo "skipped: $exe is not built"
    return 0
  fi
  echo "command: $exe --benchmark_counters_tabular=true ${EXTRA_GBENCH_FLAGS[*]}"
  if ! "$exe" --benchmark_counters_tabular=true \
      --benchmark_out="$OUT_DIR/$name.json" --benchmark_out_format=json \
      "${EXTRA_GBENCH_FLAGS[@]}"; then
    echo "FAILED: $name" >&2
    failures=$((failures + 1))
  fi
}

machine_summary

# Engine micro-benchmarks (bench/engine/*.cc): book add/cancel, pricer, uncross, memory.
run_gbench ccx-bench-engine

# Journal appends per fsync mode and read throughput.
run_gbench ccx-bench-journal

# ITCH encoding and decoding, MoldUDP64 packing, the subscriber's ItchBook.
run_gbench ccx-bench-marketdata

# Settling a day of 100,000 trades among 300 participants (in memory and with the SQLite
# mirror); the pre-trade reservation calls of order entry.
run_gbench ccx-bench-settlement

# Journal replay through the exchange core (surveillance).
run_gbench ccx-bench-surveillance

# End to end: ccx-exchange on loopback (simulated clock frozen at 09:00 on a trading day)
# and ccx-load, for each fsync mode, next to the plain TCP --pingpong floor.
# The market data goes to a unicast port where ccx-load listens (--md-listen), so the same
# run also measures order-in to ITCH-add-out.
run_load() {
  local fsync=$1 rate=$2 dir port=26497 md=26496
  dir=$(mktemp -d)
  "$BIN_DIR/ccx-exchange" --data-dir "$dir" --order-port $port --clock sim \
    --sim-start 2026-11-20T09:00:00 --sim-speed 0 --fsync "$fsync" \
    --max-messages-per-second 0 --md-dest 127.0.0.1:$md --md-retrans-port 0 \
    --snapshot-port 0 2>"$dir/exchange.log" &
  local pid=$!
  sleep 1
  echo "--- ccx-load --rate $rate --sessions 10 --md-listen 127.0.0.1:$md (exchange --fsync $fsync)"
  "$BIN_DIR/ccx-load" --port $port --rate "$rate" --duration "${LOAD_SECONDS:-10}" --warmup 2 \
    --md-listen 127.0.0.1:$md || failures=$((failures + 1))
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
if [[ -x "$BIN_DIR/ccx-exchange" && -x "$BIN_DIR/ccx-load" ]]; then
  section "ccx-load (order-to-ack round trip)"
  for rate in 20000 100000; do
    echo "--- ccx-load --pingpong --rate $rate (plain TCP floor)"
    "$BIN_DIR/ccx-load" --pingpong --rate "$rate" --duration "${LOAD_SECONDS:-10}" --warmup 2
    run_load none "$rate"
    run_load batch "$rate"
  done
fi

section "done"
echo "JSON results: $OUT_DIR/"
if ((failures > 0)); then
  echo "$failures benchmark program(s) failed" >&2
  exit 1
fi
