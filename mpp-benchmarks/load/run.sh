#!/usr/bin/env bash
# Load benchmark of the example webapp on embedded Jetty, with wrk on loopback:
#   /free (not a paid route), unpaid /api/premium (402), paid /api/premium (mock method, each
#   request with its own single-use credential). Prints requests/second, the server's CPU time per
#   request (from /proc, user + system) and the ratios of both.
# Usage: mpp-benchmarks/load/run.sh [duration-seconds] [connections]   (WARMUP=seconds, default 15)
# To compare two builds in one window: BUILD=0 SERVER_JAR=old/mpp-example.jar BENCH_JAR=old/benchmarks.jar
# 128 connections by default: enough requests in flight that the server's core never waits for the
# next one. With 16, on this project's (virtual) build machine, the server's core was busy only about
# 60 % of the time on /free: each cheap request left it idle, waiting for wrk's next one to be
# delivered, so /free measured wake-up latency instead of capacity (and could come out slower than
# the 402 route). From 128 connections the server's core is busy 93-99 % in every scenario.
# Needs wrk (Debian package "wrk"). Everything runs on 127.0.0.1 and is stopped at the end.
# With two or more CPUs the server is pinned to CPU 0 and wrk to CPU 1 (PIN=0 turns this off), so
# that the load generator's own work (building a distinct 730-byte credential header per paid
# request in Lua, parsing every answer) does not take CPU from the server it measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-128}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-15}"
# shellcheck source=common.sh
source mpp-benchmarks/load/common.sh

SERVER_JAR="${SERVER_JAR:-examples/target/mpp-example.jar}"
if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -ntp -q -pl examples,mpp-benchmarks -am package -DskipTests
fi
export MPP_REPLAY_STORE_MAX_ENTRIES=4000000
if [ "${#SERVER_CPU[@]}" -gt 0 ]; then
  echo "server pinned to CPU 0, wrk to CPU 1" >&2
fi
# A fixed 2 GiB heap with the throughput collector, as a server would be sized: on one pinned CPU
# the JVM's ergonomics would otherwise pick the serial collector with a heap that starts at a
# fraction of that, and every accepted payment leaves a replay-store entry that lives for the
# challenge lifetime (young collections keep copying them). SERVER_JAVA_OPTS overrides this.
start_server "$SERVER_JAR" "-Xms2g -Xmx2g -XX:+UseParallelGC"

ROUNDS="${ROUNDS:-3}"
PER_SECOND=40000 # distinct credentials per second of paid load, above what one core serves
# Enough distinct single-use credentials for the paid warm-up and every paid round, generated on
# the client's CPU just before use (they expire with the challenge lifetime, 5 minutes).
slice() { generate PaidCredentials $(( $2 * PER_SECOND )) "$WORK/$1"; } # file name, seconds

free() { wrk_run "$1" "$2" "http://127.0.0.1:$PORT/free"; }
free_lua() { wrk_run "$1" "$2" -s mpp-benchmarks/load/free.lua "http://127.0.0.1:$PORT/free"; }
# The free route carrying a paid request's Authorization header (the route ignores it): what the
# credential's ~730 bytes cost in transport and Jetty's parser alone, before any payment logic.
free_cred() {
  wrk_run "$1" "$2" -H "Authorization: $(head -n 1 "$WORK/warm.txt")" "http://127.0.0.1:$PORT/free"
}
unpaid() { wrk_run "$1" "$2" -s mpp-benchmarks/load/unpaid.lua "http://127.0.0.1:$PORT/api/premium"; }
paid() { # seconds, output file, credentials file
  wrk_run "$1" "$2" -s mpp-benchmarks/load/paid.lua "http://127.0.0.1:$PORT/api/premium" -- "$3" 1
}

# Warm-up of every path (the JIT needs a while on a small machine), then ROUNDS rounds that each
# measure all four scenarios back to back: the machine is shared and noisy, so the ratios are taken
# within a round and summarized by their median.
slice warm.txt "$WARMUP"
free "$WARMUP" /dev/null >/dev/null
free_lua "$WARMUP" /dev/null >/dev/null
free_cred "$WARMUP" /dev/null >/dev/null
unpaid "$WARMUP" /dev/null >/dev/null
paid "$WARMUP" /dev/null "$WORK/warm.txt" >/dev/null

printf '\n%-6s %10s %10s %10s %10s %10s %8s %8s %10s\n' round free free-lua free+cred unpaid paid unpaid% paid% paid/f+c >&2
RESULTS=()
for r in $(seq 1 "$ROUNDS"); do
  slice "paid-$r.txt" "$DURATION"
  read -r F FT <<<"$(free "$DURATION" "$WORK/free-$r.txt")"
  read -r FL FLT <<<"$(free_lua "$DURATION" "$WORK/free-lua-$r.txt")"
  read -r FC FCT <<<"$(free_cred "$DURATION" "$WORK/free-cred-$r.txt")"
  read -r U UT <<<"$(unpaid "$DURATION" "$WORK/unpaid-$r.txt")"
  read -r P PT <<<"$(paid "$DURATION" "$WORK/paid-$r.out" "$WORK/paid-$r.txt")"
  for f in "$WORK/unpaid-$r.txt" "$WORK/paid-$r.out" "$WORK/free-lua-$r.txt"; do
    grep -h 'other than' "$f" | sed "s/^/  round $r: /" >&2 || true
  done
  awk -v r="$r" -v f="$F" -v fl="$FL" -v fc="$FC" -v u="$U" -v p="$P" \
    'BEGIN { printf "%-6s %10.0f %10.0f %10.0f %10.0f %10.0f %7.0f%% %7.0f%% %9.0f%%\n", r " req/s", f, fl, fc, u, p, 100*u/f, 100*p/f, 100*p/fc }' >&2
  # Server CPU per request, and the capacity it implies relative to the free route (free / path).
  awk -v r="$r" -v f="$FT" -v fl="$FLT" -v fc="$FCT" -v u="$UT" -v p="$PT" \
    'BEGIN { printf "%-6s %10.1f %10.1f %10.1f %10.1f %10.1f %7.0f%% %7.0f%% %9.0f%%\n", r " cpu-us", f, fl, fc, u, p, 100*f/u, 100*f/p, 100*fc/p }' >&2
  RESULTS+=("$(awk -v f="$F" -v fc="$FC" -v u="$U" -v p="$P" -v ft="$FT" -v fct="$FCT" -v ut="$UT" -v pt="$PT" \
    'BEGIN { printf "%.1f %.1f %.1f %.1f %.1f %.1f", 100*u/f, 100*p/f, 100*fc/f, 100*ft/ut, 100*ft/pt, 100*ft/fct }')")
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { printf '%s\n' "${RESULTS[@]}" | awk -v c="$1" '{print $c}' | median; }
echo
echo "median over $ROUNDS rounds, requests per second: unpaid $(col 1)% of free, paid $(col 2)% of free" \
  "(free carrying a credential header: $(col 3)% of free)"
echo "median over $ROUNDS rounds, server CPU per request (capacity): unpaid $(col 4)% of free," \
  "paid $(col 5)% of free (free carrying a credential header: $(col 6)% of free)"
