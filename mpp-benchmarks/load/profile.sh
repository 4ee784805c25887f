#!/usr/bin/env bash
# Where the server's CPU goes per 402 and per paid request: the example webapp under wrk, as in
# run.sh, with a JFR recording of Java execution samples (every millisecond) around each measured
# scenario. Prints the server's CPU time per request and, for each group of methods named in
# profile-groups.txt, the share of the scenario's samples whose stack passes through one of them.
# Usage: mpp-benchmarks/load/profile.sh [duration-seconds] [connections] [output-directory]
#   SERVER_JAR (default examples/target/mpp-example.jar), BUILD=0 to skip the Maven build,
#   WARMUP=seconds (default 15), ROUNDS (default 1).
# Needs wrk. Everything runs on 127.0.0.1 and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-128}"
OUT="${3:-$(mktemp -d)}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-15}"
ROUNDS="${ROUNDS:-1}"
SERVER_JAR="${SERVER_JAR:-examples/target/mpp-example.jar}"
# shellcheck source=common.sh
source mpp-benchmarks/load/common.sh

if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -ntp -q -pl examples,mpp-benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"
export MPP_REPLAY_STORE_MAX_ENTRIES=4000000
start_server "$SERVER_JAR" "-Xms2g -Xmx2g -XX:+UseParallelGC"
# Java execution samples only, every millisecond (the shipped profiles sample every 10-20 ms).
cat >"$WORK/samples.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
</configuration>
JFC

PER_SECOND=40000
slice() { generate PaidCredentials $(( $2 * PER_SECOND )) "$WORK/$1"; }
free_cred() {
  wrk_run "$1" "$2" -H "Authorization: $(head -n 1 "$WORK/warm.txt")" "http://127.0.0.1:$PORT/free"
}
unpaid() { wrk_run "$1" "$2" -s mpp-benchmarks/load/unpaid.lua "http://127.0.0.1:$PORT/api/premium"; }
paid() { wrk_run "$1" "$2" -s mpp-benchmarks/load/paid.lua "http://127.0.0.1:$PORT/api/premium" -- "$3" 1; }
recorded() { # name, command...: runs the scenario under a JFR recording saved as OUT/name.jfr
  local name="$1"; shift
  jcmd "$SERVER_PID" JFR.start name="$name" settings="$WORK/samples.jfc" >/dev/null
  read -r RPS CPU <<<"$("$@")"
  jcmd "$SERVER_PID" JFR.stop name="$name" filename="$OUT/$name.jfr" >/dev/null
  echo "$name: $RPS req/s, server CPU $CPU us/request" | tee -a "$OUT/summary.txt" >&2
}

slice warm.txt "$WARMUP"
free_cred "$WARMUP" /dev/null >/dev/null
unpaid "$WARMUP" /dev/null >/dev/null
paid "$WARMUP" /dev/null "$WORK/warm.txt" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  slice "paid-$r.txt" "$DURATION"
  recorded "unpaid-$r" unpaid "$DURATION" "$WORK/unpaid-$r.txt"
  recorded "paid-$r" paid "$DURATION" "$WORK/paid-$r.out" "$WORK/paid-$r.txt"
  grep -h 'other than' "$WORK/unpaid-$r.txt" "$WORK/paid-$r.out" >&2 || true
done
for f in "$OUT"/*.jfr; do
  java mpp-benchmarks/load/SampleShares.java mpp-benchmarks/load/profile-groups.txt "$f" | tee -a "$OUT/summary.txt"
done
