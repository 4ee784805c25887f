#!/usr/bin/env bash
# Load benchmark of the example webapp on embedded Jetty, with wrk on loopback:
#   /free (not a paid route), unpaid /api/premium (402), paid /api/premium (mock method, each
#   request with its own single-use credential). Prints requests/second and the ratios.
# Usage: mpp-benchmarks/load/run.sh [duration-seconds] [connections]   (WARMUP=seconds, default 15)
# Needs wrk (Debian package "wrk"). Everything runs on 127.0.0.1 and is stopped at the end.
# With two or more CPUs the server is pinned to CPU 0 and wrk to CPU 1 (PIN=0 turns this off), so
# that the load generator's own work (building a distinct 730-byte credential header per paid
# request in Lua, parsing every answer) does not take CPU from the server it measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-16}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-15}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

./mvnw -B -ntp -q -pl examples,mpp-benchmarks -am package -DskipTests
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export MPP_SECRET_KEY="load-benchmark-secret-0123456789abcdef"
export MPP_REPLAY_STORE_MAX_ENTRIES=4000000
# The server's INFO line per payment would make this a logging benchmark: keep warnings only.
SERVER_CPU=()
CLIENT_CPU=()
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
  echo "server pinned to CPU 0, wrk to CPU 1" >&2
fi
# A fixed 2 GiB heap with the throughput collector, as a server would be sized: on one pinned CPU
# the JVM's ergonomics would otherwise pick the serial collector with a heap that starts at a
# fraction of that, and every accepted payment leaves a replay-store entry that lives for the
# challenge lifetime (young collections keep copying them). SERVER_JAVA_OPTS overrides this.
read -r -a JAVA_OPTS <<<"${SERVER_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseParallelGC}"
PORT="$PORT" HOST=127.0.0.1 "${SERVER_CPU[@]}" java "${JAVA_OPTS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -jar examples/target/mpp-example.jar >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/free" && break
  sleep 0.5
done

ROUNDS="${ROUNDS:-3}"
PER_SECOND=40000 # distinct credentials per second of paid load, above what one core serves
# Enough distinct single-use credentials for the paid warm-up and every paid round, generated on
# the client's CPU just before use (they expire with the challenge lifetime, 5 minutes).
slice() { # file name, seconds
  "${CLIENT_CPU[@]}" java -cp mpp-benchmarks/target/benchmarks.jar \
    io.mpp4j.benchmarks.load.PaidCredentials localhost $(( $2 * PER_SECOND )) "$WORK/$1"
}

wrk_run() { # seconds, output file, wrk args...
  local seconds="$1" out="$2"; shift 2
  "${CLIENT_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency "$@" >"$out" 2>&1 || true
  awk '/Requests\/sec/ {print $2}' "$out"
}

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
  F=$(free "$DURATION" "$WORK/free-$r.txt")
  FL=$(free_lua "$DURATION" "$WORK/free-lua-$r.txt")
  FC=$(free_cred "$DURATION" "$WORK/free-cred-$r.txt")
  U=$(unpaid "$DURATION" "$WORK/unpaid-$r.txt")
  P=$(paid "$DURATION" "$WORK/paid-$r.out" "$WORK/paid-$r.txt")
  for f in "$WORK/unpaid-$r.txt" "$WORK/paid-$r.out" "$WORK/free-lua-$r.txt"; do
    grep -h 'other than' "$f" | sed "s/^/  round $r: /" >&2 || true
  done
  line=$(awk -v r="$r" -v f="$F" -v fl="$FL" -v fc="$FC" -v u="$U" -v p="$P" \
    'BEGIN { printf "%-6s %10.0f %10.0f %10.0f %10.0f %10.0f %7.0f%% %7.0f%% %9.0f%%", r, f, fl, fc, u, p, 100*u/f, 100*p/f, 100*p/fc }')
  echo "$line" >&2
  RESULTS+=("$(awk -v f="$F" -v fc="$FC" -v u="$U" -v p="$P" 'BEGIN { printf "%.1f %.1f %.1f", 100*u/f, 100*p/f, 100*fc/f }')")
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
U_MED=$(printf '%s\n' "${RESULTS[@]}" | awk '{print $1}' | median)
P_MED=$(printf '%s\n' "${RESULTS[@]}" | awk '{print $2}' | median)
echo
C_MED=$(printf '%s\n' "${RESULTS[@]}" | awk '{print $3}' | median)
echo "median over $ROUNDS rounds: unpaid ${U_MED}% of free, paid ${P_MED}% of free" \
  "(free carrying a credential header: ${C_MED}% of free)"
