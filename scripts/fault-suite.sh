#!/usr/bin/env bash
# Exact counts through crashes, broker failures and re-runs, on real processes on 127.0.0.1.
# Each case starts its own brokers and roles (scripts/lib.sh), breaks something mid-run, waits for
# /progress to say complete and compares /results with an independent count (scripts/oracle.py),
# code by code. One line per case: case, expected total, counted total, verdict. Exit 1 on any FAIL.
#
#   scripts/fault-suite.sh [--large] [--only N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

records=4000 months=2 delay=20 only=""
while [ $# -gt 0 ]; do
  case $1 in
    --large) records=70000; delay=2; shift ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar "$root"
JAR="$root/target/kafka-scale.jar"
suite=$(mktemp -d -t kafka-scale-faults.XXXXXX)
files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$suite/data" 2019 "$months" "$records")
python3 "$root/scripts/oracle.py" 2019 ${files//,/ } > "$suite/oracle.json"
total_chunks=$(( months * ((records + 9) / 10) ))
failures=0
WORK="" CLUSTER_PIDS_FILE=""
trap 'stop_all' EXIT

# new_cluster BROKERS: fresh brokers and work folder; sets BOOTSTRAP, WORK, ROLE_ENV
new_cluster() {
  local n=$1
  stop_all
  WORK="$suite/case-$case_no"; mkdir -p "$WORK/logs"
  CLUSTER_PIDS_FILE="$WORK/pids"; : > "$CLUSTER_PIDS_FILE"
  CLUSTER_ID=$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)
  BROKER_PORTS=() BROKER_CPORTS=() VOTERS="" BOOTSTRAP=""
  for i in $(seq 1 "$n"); do
    BROKER_PORTS+=("$(free_port)"); BROKER_CPORTS+=("$(free_port)")
    VOTERS="${VOTERS:+$VOTERS,}$i@127.0.0.1:${BROKER_CPORTS[$((i-1))]}"
  done
  for i in $(seq 1 "$n"); do
    start_broker "$i" "${BROKER_PORTS[$((i-1))]}" "${BROKER_CPORTS[$((i-1))]}" "$VOTERS" "$WORK" "$CLUSTER_ID" "$n"
    BOOTSTRAP="${BOOTSTRAP:+$BOOTSTRAP,}127.0.0.1:${BROKER_PORTS[$((i-1))]}"
  done
  for p in "${BROKER_PORTS[@]}"; do wait_port "$p" 60; done
  local rf=$(( n >= 3 ? 3 : 1 ))
  ROLE_ENV=(COMPUTE_REPLICATION=$rf RESULTS_REPLICATION=$rf CENSUS_FILES="$files" CHUNK_LINES=10
            COMPUTE_DELAY_MS="$delay" KAFKA_BROKER_WAIT_SECONDS=120)
}

restart_broker() { # ID
  local i=$1
  start_broker "$i" "${BROKER_PORTS[$((i-1))]}" "${BROKER_CPORTS[$((i-1))]}" "$VOTERS" "$WORK" "$CLUSTER_ID" "${#BROKER_PORTS[@]}"
}

start_results() { RESULTS_HTTP=$(free_port); start_role results results "$RESULTS_HTTP" "$(free_port)" "${ROLE_ENV[@]}"; wait_http "http://127.0.0.1:$RESULTS_HTTP/progress" 120; }
start_compute() { local m; m=$(free_port); start_role "compute-$1" compute "$(free_port)" "$m" "${ROLE_ENV[@]}" "${@:2}"; wait_http "http://127.0.0.1:$m/observe/health/live" 120; }
start_reader() { start_role "reader-$1" read "$(free_port)" "$(free_port)" "${ROLE_ENV[@]}" "${@:2}"; }

# chunks counted so far by the latest attempt at each survey month
counted() { curl -fsS "http://127.0.0.1:$RESULTS_HTTP/progress" 2>/dev/null | python3 -c 'import json,sys; print(sum(m["attempts"][-1]["chunksCounted"] for m in json.load(sys.stdin)["months"].values() if m.get("attempts")))' 2>/dev/null || echo 0; }
wait_counted() { # N: until the results role has counted at least N chunks
  for _ in $(seq 1 3000); do [ "$(counted)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "results never counted $1 chunks" >&2; return 1
}
run_id() { curl -fsS "http://127.0.0.1:$RESULTS_HTTP/progress" | python3 -c 'import json,sys; print(json.load(sys.stdin)["runId"] or "")'; }
wait_run_complete() { # [PREVIOUS_RUN_ID]: until a run other than PREVIOUS is the latest and all is complete
  for _ in $(seq 1 3000); do
    # /progress lists every remembered run: read the latest runId and complete, not any match in the body
    state=$(curl -fsS "http://127.0.0.1:$RESULTS_HTTP/progress" 2>/dev/null | python3 -c 'import json,sys; j=json.load(sys.stdin); print("yes" if j["complete"] and j["runId"] not in (sys.argv[1], None) else "no")' "${1:-none}" 2>/dev/null || echo no)
    [ "$state" = yes ] && return 0
    sleep 0.2
  done
  echo "run never completed" >&2; return 1
}

verdict() { # CASE_NAME: compare /results with the oracle, print the line
  local body ok
  body=$(curl -fsS "http://127.0.0.1:$RESULTS_HTTP/results" || echo '{}')
  ok=$(python3 - "$suite/oracle.json" "$body" "$1" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
got = {y: {c: v["Count"] for c, v in codes.items()} for y, codes in json.loads(sys.argv[2]).items()}
total = lambda d: sum(sum(codes.values()) for codes in d.values())
verdict = "PASS" if got == expected else "FAIL"
print(f"{sys.argv[3]:<46} expected {total(expected):>8}  counted {total(got):>8}  {verdict}")
PY
)
  echo "$ok"
  case "$ok" in *PASS) ;; *) failures=$((failures + 1)); echo "  (logs: $WORK/logs)" ;; esac
}

should_run() { [ -z "$only" ] || [ "$only" = "$1" ]; }

echo "fault suite: $months months x $records records, $total_chunks chunks of 10, COMPUTE_DELAY_MS=$delay"

case_no=1
if should_run 1; then
  new_cluster 1; start_results; for i in 1 2 3; do start_compute "$i"; done
  start_reader 1
  wait_counted $((total_chunks / 4))
  kill -9 "$(pid_of compute-2)"
  wait_run_complete; verdict "1 kill -9 one of three compute processes"
fi

case_no=2
if should_run 2; then
  new_cluster 1; start_results; start_compute 1; start_compute 2
  start_reader 1
  wait_counted $((total_chunks / 3))
  kill -9 "$(pid_of results)"
  sleep 2
  start_results
  wait_run_complete; verdict "2 kill -9 results, restart it"
fi

case_no=3
if should_run 3; then
  new_cluster 1; start_results; start_compute 1; start_compute 2
  start_reader 1; wait_run_complete; first=$(run_id)
  start_reader 2; wait_run_complete "$first"; second=$(run_id)
  verdict "3a reader run twice"
  start_reader 3 CHUNK_LINES=7; wait_run_complete "$second"
  verdict "3b third run with CHUNK_LINES=7"
fi

case_no=4
if should_run 4; then
  new_cluster 1; start_results; start_compute 1; start_compute 2
  start_reader 1
  wait_counted $((total_chunks / 4))
  kill "$(pid_of broker-1)"; while kill -0 "$(pid_of broker-1)" 2>/dev/null; do sleep 0.2; done
  sleep 5
  restart_broker 1
  wait_run_complete; verdict "4 stop and restart the only broker"
fi

case_no=5
if should_run 5; then
  new_cluster 3; start_results; start_compute 1; start_compute 2
  start_reader 1
  wait_counted $((total_chunks / 4))
  kill -9 "$(pid_of broker-2)"
  wait_run_complete; verdict "5 kill -9 one of three brokers (RF 3, ISR 2)"
fi

case_no=6
if should_run 6; then
  new_cluster 1; start_results; start_compute 1 COMPUTE_DELAY_MS=$((delay * 3)); start_compute 2; start_compute 3
  start_reader 1
  wait_counted $((total_chunks / 4))
  start_compute 4
  wait_run_complete; verdict "6 slow consumer and a rebalance (4th compute)"
fi

stop_all
[ "$failures" = 0 ] && echo "fault suite: all cases PASS" || echo "fault suite: $failures case(s) FAIL"
[ "$failures" = 0 ] && rm -rf "$suite"
exit $(( failures > 0 ))
