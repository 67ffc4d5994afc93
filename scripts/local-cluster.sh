#!/usr/bin/env bash
# The deployment's shape as separate OS processes on 127.0.0.1: 1 or 3 Kafka brokers (KRaft, the
# broker code from Maven Central inside the app jar), the reader, N compute JVMs and results.
# Prints where /results is, and stops everything it started on exit (Ctrl-C).
#
#   scripts/local-cluster.sh [--brokers 1|3] [--compute N] [--months M] [--records-per-month R]
#                            [--chunk-lines L] [--compute-delay-ms D] [--work DIR] [--exit-when-complete]
#
# It writes $WORK/cluster.env (ports, pids, URLs; COMPLETE=1 once /progress says complete) for
# tests and other scripts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

brokers=1 computes=2 months=2 records=20000 chunk_lines=10 delay_ms=0 exit_when_complete=0 WORK=""
while [ $# -gt 0 ]; do
  case $1 in
    --brokers) brokers=$2; shift 2 ;;
    --compute) computes=$2; shift 2 ;;
    --months) months=$2; shift 2 ;;
    --records-per-month) records=$2; shift 2 ;;
    --chunk-lines) chunk_lines=$2; shift 2 ;;
    --compute-delay-ms) delay_ms=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --exit-when-complete) exit_when_complete=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$brokers" = 1 ] || [ "$brokers" = 3 ] || { echo "--brokers is 1 or 3" >&2; exit 2; }

ensure_jar "$root"
JAR="$root/target/kafka-scale.jar"
cluster_work kafka-scale-cluster
trap 'stop_all; kill $(jobs -p) 2>/dev/null; echo "stopped everything (logs in $WORK/logs)"' EXIT
trap 'exit 130' INT TERM

# brokers
cluster_id=$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)
voters="" ports=() cports=()
for i in $(seq 1 "$brokers"); do
  ports+=("$(free_port)"); cports+=("$(free_port)")
  voters="${voters:+$voters,}$i@127.0.0.1:${cports[$((i-1))]}"
done
BOOTSTRAP=""
for i in $(seq 1 "$brokers"); do
  start_broker "$i" "${ports[$((i-1))]}" "${cports[$((i-1))]}" "$voters" "$WORK" "$cluster_id" "$brokers"
  BOOTSTRAP="${BOOTSTRAP:+$BOOTSTRAP,}127.0.0.1:${ports[$((i-1))]}"
done
for p in "${ports[@]}"; do wait_port "$p" 60; done
rf=$(( brokers >= 3 ? 3 : 1 ))
{
  echo "WORK=$WORK"; echo "BOOTSTRAP=$BOOTSTRAP"; echo "BROKER_PORTS=\"${ports[*]}\""
  echo "BROKER_CONTROLLER_PORTS=\"${cports[*]}\""; echo "CLUSTER_ID=$cluster_id"; echo "VOTERS=$voters"
} >> "$state"
echo "Kafka: $brokers broker(s) at $BOOTSTRAP"

# data
files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/data" 2019 "$months" "$records")
echo "CENSUS_FILES=$files" >> "$state"

common=(COMPUTE_PARTITIONS=10 COMPUTE_REPLICATION=$rf RESULTS_REPLICATION=$rf CHUNK_LINES="$chunk_lines"
        COMPUTE_DELAY_MS="$delay_ms" CENSUS_FILES="$files")

results_http=$(free_port); results_mgmt=$(free_port)
start_role results results "$results_http" "$results_mgmt" "${common[@]}"
echo "RESULTS_URL=http://127.0.0.1:$results_http" >> "$state"
echo "RESULTS_MGMT=http://127.0.0.1:$results_mgmt" >> "$state"
compute_mgmts=()
for i in $(seq 1 "$computes"); do
  http=$(free_port); mgmt=$(free_port)
  start_role "compute-$i" compute "$http" "$mgmt" "${common[@]}"
  compute_mgmts+=("http://127.0.0.1:$mgmt")
done
echo "COMPUTE_MGMT=\"${compute_mgmts[*]}\"" >> "$state"
wait_http "http://127.0.0.1:$results_http/progress" 120
for m in "${compute_mgmts[@]}"; do wait_http "$m/observe/health/ready" 120; done

start_role reader read "$(free_port)" "$(free_port)" "${common[@]}"
echo "PIDS_FILE=$CLUSTER_PIDS_FILE" >> "$state"
echo "results: http://127.0.0.1:$results_http/results   (progress: /progress, page: /)"

wait_complete "http://127.0.0.1:$results_http/progress" 1800
echo "COMPLETE=1" >> "$state"
echo "complete: $(curl -s "http://127.0.0.1:$results_http/results" | head -c 300)…"
if [ "$exit_when_complete" = 1 ]; then
  exit 0
fi
echo "running; Ctrl-C stops everything"
# wait in the background so that Ctrl-C or SIGTERM reaches the trap at once
sleep infinity &
wait $!
