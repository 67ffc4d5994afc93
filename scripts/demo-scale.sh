#!/usr/bin/env bash
# Watch it scale, in one command: a Kafka broker, the results role (the page), one compute JVM and
# the reader over a generated sample with a per-chunk cost; then a second and a third compute JVM
# join a step apart and the second one leaves. Open the printed URL to watch workers, partitions,
# throughput and lag change. Everything runs on 127.0.0.1 and stops on Ctrl-C.
#
#   scripts/demo-scale.sh [--records-per-month R] [--compute-delay-ms D] [--step-seconds S]
#                         [--http-port P] [--work DIR] [--exit-when-complete]
#
# It writes $WORK/cluster.env (URLs, PHASE=1..4, COMPLETE=1) for tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

records=40000 delay_ms=50 step=30 http_port=8080 WORK="" exit_when_complete=0
while [ $# -gt 0 ]; do
  case $1 in
    --records-per-month) records=$2; shift 2 ;;
    --compute-delay-ms) delay_ms=$2; shift 2 ;;
    --step-seconds) step=$2; shift 2 ;;
    --http-port) http_port=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --exit-when-complete) exit_when_complete=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar "$root"
JAR="$root/target/kafka-scale.jar"
cluster_work kafka-scale-demo
trap 'stop_all; kill $(jobs -p) 2>/dev/null || true; echo "stopped everything (logs in $WORK/logs)"' EXIT
trap 'exit 130' INT TERM

# sleeps in the background so that Ctrl-C or SIGTERM reaches the trap at once
pause() { sleep "$1" & wait $!; }

# the page on 8080 unless that is taken (or 0 asks for any free port)
if [ "$http_port" = 0 ] || (exec 3<>/dev/tcp/127.0.0.1/"$http_port") 2>/dev/null; then
  http_port=$(free_port)
fi

# one broker (KRaft), as in local-cluster.sh
port=$(free_port) cport=$(free_port)
start_broker 1 "$port" "$cport" "1@127.0.0.1:$cport" "$WORK" "$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)" 1
BOOTSTRAP="127.0.0.1:$port"
wait_port "$port" 60
echo "BOOTSTRAP=$BOOTSTRAP" >> "$state"

files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/data" 2019 2 "$records")
echo "CENSUS_FILES=$files" >> "$state"
chunks=$(( 2 * ((records + 9) / 10) ))
echo "Sample: 2 months x $records records = $chunks chunks of 10; each chunk costs compute ${delay_ms} ms"

# small compute batches: offsets are committed every few hundred ms, so rates show without steps
common=(COMPUTE_PARTITIONS=10 CHUNK_LINES=10 COMPUTE_DELAY_MS="$delay_ms" COMPUTE_MAX_POLL_RECORDS=25
        CENSUS_FILES="$files" CAMEL_SERVER_HOST=127.0.0.1 CAMEL_MANAGEMENT_HOST=127.0.0.1)

start_role results results "$http_port" "$(free_port)" "${common[@]}"
echo "RESULTS_URL=http://127.0.0.1:$http_port" >> "$state"

# start_compute N: compute JVM number N, named compute-N in the group; returns once it is ready
start_compute() {
  local mgmt
  mgmt=$(free_port)
  start_role "compute-$1" compute "$(free_port)" "$mgmt" "${common[@]}" COMPUTE_CLIENT_ID="compute-$1"
  wait_http "http://127.0.0.1:$mgmt/observe/health/ready" 120
  echo "compute-$1 started (pid $(pid_of "compute-$1"))"
}

start_compute 1
wait_http "http://127.0.0.1:$http_port/progress" 120
wait_http "http://127.0.0.1:$http_port/" 60 # the page's route starts last
start_role reader read "$(free_port)" "$(free_port)" "${common[@]}"
echo "PHASE=1" >> "$state"
echo
echo "  Page: http://127.0.0.1:$http_port/    (JSON: /scaling, /progress, /results)"
echo

pause "$step"
start_compute 2
echo "PHASE=2" >> "$state"
pause "$step"
start_compute 3
echo "PHASE=3" >> "$state"
pause "$step"

leaving=$(pid_of compute-2)
echo "stopping compute-2 (pid $leaving)"
kill "$leaving" 2>/dev/null || true
for _ in $(seq 1 200); do kill -0 "$leaving" 2>/dev/null || break; sleep 0.2; done
kill -9 "$leaving" 2>/dev/null || true
echo "PHASE=4" >> "$state"

wait_complete "http://127.0.0.1:$http_port/progress" 1800
echo "COMPLETE=1" >> "$state"
echo "complete: $(curl -s "http://127.0.0.1:$http_port/results" | head -c 200)…"
if [ "$exit_when_complete" = 1 ]; then
  exit 0
fi
echo "still serving the page; Ctrl-C stops everything"
pause infinity
