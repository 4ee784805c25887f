#!/usr/bin/env bash
# Junk-credential flood against the example webapp (issue 11): one client sends distinct junk
# credentials (each a fresh, correctly bound challenge with the payload {"type":"junk"}) as fast
# as wrk can, in ROUNDS rounds of DURATION seconds, against the default 100,000-entry in-memory
# replay store; real payments are tried before and after. Prints, per round, requests/second,
# the server's CPU time per request and how the junk was answered (refused, or store_unavailable:
# the replay store refused a claim, which locks every payer out), then how many of the real
# payments after the flood were served.
# Usage: mpp-benchmarks/load/flood.sh [rounds] [duration-seconds] [connections]
#   JUNK=150000 distinct junk credentials (cycled); PAID=20 real payments after the flood;
#   MAX_ENTRIES (default 100000, the store's default); BUILD=0 with SERVER_JAR / BENCH_JAR to
#   measure another build (for example the code before the fix) with this script's generator.
# Needs wrk. Everything runs on 127.0.0.1 and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-4}"
DURATION="${2:-10}"
CONNECTIONS="${3:-64}"
PORT="${PORT:-18081}"
JUNK="${JUNK:-150000}"
PAID="${PAID:-20}"
SERVER_JAR="${SERVER_JAR:-examples/target/mpp-example.jar}"
# shellcheck source=common.sh
source mpp-benchmarks/load/common.sh
[ "${BUILD:-1}" = 1 ] && ./mvnw -B -ntp -q -pl examples,mpp-benchmarks -am package -DskipTests

export MPP_REPLAY_STORE_MAX_ENTRIES="${MAX_ENTRIES:-100000}"
start_server "$SERVER_JAR" "-Xms1g -Xmx1g -XX:+UseParallelGC"
generate JunkCredentials "$JUNK" "$WORK/junk.txt"
generate PaidCredentials "$(( PAID + 5 ))" "$WORK/paid.txt"

pay() { # credentials file, first line, count -> "served of count (other answers)"
  local ok=0 other=""
  while read -r auth; do
    out="$(curl -s -w ' %{http_code}' -H "Authorization: $auth" "http://127.0.0.1:$PORT/api/premium")"
    if [ "${out##* }" = 200 ]; then ok=$((ok + 1)); else
      other="$other $(grep -o '"reason":"[a-z_.]*"' <<<"$out" | head -1)"; fi
  done < <(tail -n +"$2" "$1" | head -n "$3")
  echo "$ok of $3 real payments served${other:+ (others:$other)}"
}
echo "before the flood: $(pay "$WORK/paid.txt" 1 5)"

printf '%-6s %10s %12s  %s\n' round req/s cpu-us/req "answers"
SENT=0 # each round continues in the file where the last one stopped
for r in $(seq 1 "$ROUNDS"); do
  read -r RPS CPU_US <<<"$(wrk_run "$DURATION" "$WORK/round-$r.txt" -s mpp-benchmarks/load/junk.lua \
    "http://127.0.0.1:$PORT/api/premium" -- "$WORK/junk.txt" 1 "$SENT")"
  printf '%-6s %10.0f %12.1f  %s\n' "$r" "$RPS" "$CPU_US" \
    "$(sed -n 's/^junk answers: //p' "$WORK/round-$r.txt" | tail -n 1)"
  SENT=$(( SENT + $(awk '/requests in/ { print $1 }' "$WORK/round-$r.txt") ))
done
echo "junk requests sent: $SENT ($JUNK distinct credentials, cycled)"
echo "after the flood: $(pay "$WORK/paid.txt" 6 "$PAID")"
