#!/usr/bin/env bash
# Load benchmark of the example webapp on embedded Jetty, with wrk on loopback:
#   /free (not a paid route), unpaid /api/premium (402), paid /api/premium (mock method, each
#   request with its own single-use credential). Prints requests/second and the ratios.
# Usage: mpp-benchmarks/load/run.sh [duration-seconds] [connections]   (WARMUP=seconds, default 15)
# Needs wrk (Debian package "wrk"). Everything runs on 127.0.0.1 and is stopped at the end.
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
PORT="$PORT" HOST=127.0.0.1 java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -jar examples/target/mpp-example.jar >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/free" && break
  sleep 0.5
done

# Enough distinct credentials for the paid warm-up and run (about 20k/s upper bound each).
COUNT=$(( (DURATION > WARMUP ? DURATION : WARMUP) * 2 * 20000 ))
java -cp mpp-benchmarks/target/benchmarks.jar io.mpp4j.benchmarks.load.PaidCredentials \
  localhost "$COUNT" "$WORK/credentials.txt"

run() { # name, wrk args...
  local name="$1"; shift
  # Warm up (the JIT needs a while on a small machine), then measure.
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$@" >/dev/null 2>&1 || true
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | tee "$WORK/$name.txt" >&2
  awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt"
}

FREE=$(run free "http://127.0.0.1:$PORT/free")
UNPAID=$(run unpaid -s mpp-benchmarks/load/unpaid.lua "http://127.0.0.1:$PORT/api/premium")
# The paid warm-up uses the first half of the credentials, the measurement the second half.
head -n $(( COUNT / 2 )) "$WORK/credentials.txt" > "$WORK/warm.txt"
tail -n +$(( COUNT / 2 + 1 )) "$WORK/credentials.txt" > "$WORK/measure.txt"
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s mpp-benchmarks/load/paid.lua "http://127.0.0.1:$PORT/api/premium" -- "$WORK/warm.txt" 1 >/dev/null 2>&1 || true
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s mpp-benchmarks/load/paid.lua \
  "http://127.0.0.1:$PORT/api/premium" -- "$WORK/measure.txt" 1 | tee "$WORK/paid.txt" >&2
PAID=$(awk '/Requests\/sec/ {print $2}' "$WORK/paid.txt")

echo
printf '%-28s %12s %8s\n' scenario requests/s "vs free"
printf '%-28s %12.0f %7s%%\n' "GET /free" "$FREE" 100
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }
printf '%-28s %12.0f %7s%%\n' "GET /api/premium unpaid" "$UNPAID" "$(pct "$UNPAID" "$FREE")"
printf '%-28s %12.0f %7s%%\n' "GET /api/premium paid" "$PAID" "$(pct "$PAID" "$FREE")"
