# What run.sh and flood.sh share; they source it from the repository root once PORT and
# CONNECTIONS are set. It checks for wrk, sets the server's secret, makes a scratch directory
# ($WORK) that is removed with the server at exit, and, with two or more CPUs, pins the server to
# CPU 0 and the client side (wrk, the credential generators) to CPU 1 (PIN=0 turns this off).
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export MPP_SECRET_KEY="load-benchmark-secret-0123456789abcdef"
BENCH_JAR="${BENCH_JAR:-mpp-benchmarks/target/benchmarks.jar}"
SERVER_CPU=()
CLIENT_CPU=()
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
fi

start_server() { # server jar, JVM options (SERVER_JAVA_OPTS overrides them); waits for /free
  local java_opts
  read -r -a java_opts <<<"${SERVER_JAVA_OPTS:-$2}"
  # The server's INFO line per payment would make this a logging benchmark: keep warnings only.
  PORT="$PORT" HOST=127.0.0.1 "${SERVER_CPU[@]}" java "${java_opts[@]}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$1" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/free" && break
    sleep 0.5
  done
}

generate() { # generator class (PaidCredentials, JunkCredentials), count, file
  "${CLIENT_CPU[@]}" java -cp "$BENCH_JAR" "io.mpp4j.benchmarks.load.$1" localhost "$2" "$3"
}

TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; } # user + system CPU
wrk_run() { # seconds, output file, wrk args... -> "requests/s server-CPU-us-per-request"
  local seconds="$1" out="$2"; shift 2
  local t0 t1
  t0=$(server_ticks)
  "${CLIENT_CPU[@]}" wrk -t"${THREADS:-1}" -c"$CONNECTIONS" -d"${seconds}s" --latency "$@" >"$out" 2>&1 || true
  t1=$(server_ticks)
  awk -v t="$(( (t1 - t0) * TICK_US ))" '
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%s %.2f\n", rps, (n > 0 ? t / n : 0) }' "$out"
}
