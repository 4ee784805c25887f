#!/usr/bin/env bash
# Load benchmark of the session routes (issue 13), in one run with /free, against the example
# webapp with the MOCK session method (no chain: a metered request on an open channel makes no
# JSON-RPC call with Tempo either; the mock checks vouchers with an HMAC instead of secp256k1,
# which VoucherVerificationBenchmark measures on its own):
#   free   GET /free
#   one    GET /api/metered, every request re-presenting one accepted voucher that covers the run
#   fresh  GET /api/metered, every request carrying a new voucher, over CHANNELS channels in turn
#          (enough that each channel sees far fewer than the ~10 new vouchers per second a server
#          allows, and that a channel's vouchers arrive in order)
# After each session scenario the channels' spent is read back (a management POST per channel)
# and compared with (200s + opens) x 0.001: it may only exceed that by the requests wrk left in
# flight when it stopped (at most one per connection); anything else is printed as MISMATCH.
# Usage: mpp-benchmarks/load/sessions.sh [duration-seconds] [connections]
#   (WARMUP=seconds, default 15; ROUNDS, default 3; CHANNELS, default 2000; PER_SECOND, default
#   15000 fresh vouchers generated per second of load)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-128}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-15}"
ROUNDS="${ROUNDS:-3}"
CHANNELS="${CHANNELS:-2000}"
PER_SECOND="${PER_SECOND:-15000}"
# shellcheck source=common.sh
source mpp-benchmarks/load/common.sh

SERVER_JAR="${SERVER_JAR:-examples/target/mpp-example.jar}"
if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -ntp -q -pl examples,mpp-benchmarks -am package -DskipTests
fi
export MPP_METHODS=mock
export MPP_REPLAY_STORE_MAX_ENTRIES=4000000
start_server "$SERVER_JAR" "-Xms2g -Xmx2g -XX:+UseParallelGC"
BASE="http://127.0.0.1:$PORT"

session() { "${CLIENT_CPU[@]}" java -cp "$BENCH_JAR" io.mpp4j.benchmarks.load.SessionCredentials "$@"; }
free() { wrk_run "$1" "$2" -s mpp-benchmarks/load/free.lua "$BASE/free"; }
metered() { # seconds, output file, credentials file
  wrk_run "$1" "$2" -s mpp-benchmarks/load/session.lua "$BASE/api/metered" -- "$3" "${THREADS:-1}"
}
check() { # output file, credentials file, opens -> prints "200s spent expected"
  local ok spent
  ok=$(sed -n 's/^session 200s: \([0-9]*\).*/\1/p' "$1")
  spent=$(session spent "$BASE" "$2.last")
  echo "$ok $spent $(( (ok + $3) * 1000 ))"
}

session one "$BASE" "$WORK/one-warm.txt"
session fresh "$BASE" "$CHANNELS" $(( WARMUP * PER_SECOND )) "$WORK/fresh-warm.txt"
free "$WARMUP" /dev/null >/dev/null
metered "$WARMUP" /dev/null "$WORK/one-warm.txt" >/dev/null
metered "$WARMUP" /dev/null "$WORK/fresh-warm.txt" >/dev/null

printf '\n%-7s %10s %10s %10s %8s %8s\n' round free one fresh one% fresh% >&2
RESULTS=()
for r in $(seq 1 "$ROUNDS"); do
  session one "$BASE" "$WORK/one-$r.txt"
  session fresh "$BASE" "$CHANNELS" $(( DURATION * PER_SECOND )) "$WORK/fresh-$r.txt"
  read -r F FT <<<"$(free "$DURATION" "$WORK/free-$r.out")"
  read -r O OT <<<"$(metered "$DURATION" "$WORK/one-$r.out" "$WORK/one-$r.txt")"
  read -r N NT <<<"$(metered "$DURATION" "$WORK/fresh-$r.out" "$WORK/fresh-$r.txt")"
  for s in one fresh; do
    opens=1; [ "$s" = fresh ] && opens="$CHANNELS"
    read -r OK SPENT EXPECTED <<<"$(check "$WORK/$s-$r.out" "$WORK/$s-$r.txt" "$opens")"
    grep -h '^session' "$WORK/$s-$r.out" | sed "s/^/  round $r $s: /" >&2
    # wrk stops with up to one request per connection in flight: the server charged and answered
    # those, but wrk never counts their answers. So spent may exceed the counted 200s by at most
    # CONNECTIONS requests, and never fall below them.
    D=$(( (SPENT - EXPECTED) / 1000 ))
    if [ "$D" -ge 0 ] && [ "$D" -le "$CONNECTIONS" ] && [ $(( SPENT % 1000 )) = 0 ]; then
      echo "  round $r $s: spent $SPENT = ($OK 200s + $opens opens + $D in flight at the cut-off) x 1000" >&2
    else
      echo "  round $r $s: MISMATCH spent $SPENT, ($OK 200s + $opens opens) x 1000 = $EXPECTED" >&2
    fi
  done
  awk -v r="$r" -v f="$F" -v o="$O" -v n="$N" \
    'BEGIN { printf "%-7s %10.0f %10.0f %10.0f %7.0f%% %7.0f%%\n", r " req/s", f, o, n, 100*o/f, 100*n/f }' >&2
  awk -v r="$r" -v f="$FT" -v o="$OT" -v n="$NT" \
    'BEGIN { printf "%-7s %10.1f %10.1f %10.1f %7.0f%% %7.0f%%\n", r " cpu-us", f, o, n, 100*f/o, 100*f/n }' >&2
  RESULTS+=("$(awk -v f="$F" -v o="$O" -v n="$N" -v ft="$FT" -v ot="$OT" -v nt="$NT" \
    'BEGIN { printf "%.1f %.1f %.1f %.1f", 100*o/f, 100*n/f, 100*ft/ot, 100*ft/nt }')")
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { printf '%s\n' "${RESULTS[@]}" | awk -v c="$1" '{print $c}' | median; }
echo
echo "median over $ROUNDS rounds, requests per second: one voucher $(col 1)% of free (goal 80%)," \
  "fresh vouchers $(col 2)% of free (goal 50%)"
echo "median over $ROUNDS rounds, server CPU per request (capacity): one voucher $(col 3)% of free," \
  "fresh vouchers $(col 4)% of free"
