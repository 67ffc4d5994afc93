#!/usr/bin/env bash
# Exact counts through crashes, broker failures, re-runs and bad input, on real processes: Kafka
# brokers and the app's roles as separate JVMs on 127.0.0.1 (and one compute JVM in a network
# namespace of its own, case 14). Each case breaks something, waits for /progress to say complete and
# compares /results with an independent count of the same input (scripts/oracle.py), code by code,
# plus what the case is about (exit statuses, /progress, the dead-letter topic). One line per case:
# case, expected total, counted total, verdict; the reasons of a FAIL below it. Exit 1 on any FAIL or
# SKIPPED. Cases and what each proves: docs/fault-suite.md.
#
#   scripts/fault-suite.sh [--large] [--only N]     (cases 7-11 run together, and 12-13)
#   FAULT_SUITE_KEEP=1 keeps the work folder (data, logs) even when every case passes.
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
# Many short-lived JVMs on 2 shared cores: start-up and footprint matter here, not peak speed.
# C1 only for every role, the reader too: its runs here are small, and C2 would only add compile work
export ROLE_JVM_OPTS=${ROLE_JVM_OPTS:-$ROLE_JVM_COMMON $ROLE_JVM_C1_ONLY}
export BROKER_JVM_OPTS=${BROKER_JVM_OPTS:--Xms256m -Xmx512m -XX:TieredStopAtLevel=1}
suite=$(mktemp -d -t kafka-scale-faults.XXXXXX)
started=$(date +%s)
files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$suite/data" 2019 "$months" "$records")
python3 "$root/scripts/oracle.py" 2019 ${files//,/ } > "$suite/oracle.json"
total_chunks=$(( months * ((records + 9) / 10) ))
failures=0 skipped=0 problems=()
WORK="" CLUSTER_PIDS_FILE="" NETNS=""
declare -A HTTP_OF MGMT_OF
trap 'stop_all; [ -z "$NETNS" ] || netns_delete "$NETNS"' EXIT
trap 'exit 130' INT TERM

# new_cluster BROKERS [EXTRA_LISTENER]: fresh brokers and work folder; sets BOOTSTRAP, WORK, ROLE_ENV
new_cluster() {
  local n=$1
  stop_all
  BROKER_EXTRA=${2:-}
  WORK="$suite/case-$case_no"; mkdir -p "$WORK/logs"
  CLUSTER_PIDS_FILE="$WORK/pids"; : > "$CLUSTER_PIDS_FILE"
  CLUSTER_ID=$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)
  BROKER_PORTS=() BROKER_CPORTS=() VOTERS="" BOOTSTRAP=""
  for i in $(seq 1 "$n"); do
    BROKER_PORTS+=("$(free_port)"); BROKER_CPORTS+=("$(free_port)")
    VOTERS="${VOTERS:+$VOTERS,}$i@127.0.0.1:${BROKER_CPORTS[$((i-1))]}"
  done
  for i in $(seq 1 "$n"); do
    restart_broker "$i"
    BOOTSTRAP="${BOOTSTRAP:+$BOOTSTRAP,}127.0.0.1:${BROKER_PORTS[$((i-1))]}"
  done
  for p in "${BROKER_PORTS[@]}"; do wait_port "$p" 60; done
  local rf=$(( n >= 3 ? 3 : 1 ))
  COMPUTES_STARTING=() READER_STARTED=0
  ROLE_ENV=(COMPUTE_REPLICATION=$rf RESULTS_REPLICATION=$rf CENSUS_FILES="$files" CHUNK_LINES=10
            COMPUTE_DELAY_MS="$delay" KAFKA_BROKER_WAIT_SECONDS=120)
}

restart_broker() { # ID: on its data folder as it was left
  local i=$1
  start_broker "$i" "${BROKER_PORTS[$((i-1))]}" "${BROKER_CPORTS[$((i-1))]}" "$VOTERS" "$WORK" "$CLUSTER_ID" \
    "${#BROKER_PORTS[@]}" "$BROKER_EXTRA"
}

# start_results [NAME [VAR=VALUE...]]: a results role (NAME defaults to results, whose port is RESULTS_HTTP)
start_results() {
  local name=${1:-results}
  shift $(( $# > 0 ? 1 : 0 ))
  HTTP_OF[$name]=$(free_port); MGMT_OF[$name]=$(free_port)
  start_role "$name" results "${HTTP_OF[$name]}" "${MGMT_OF[$name]}" "${ROLE_ENV[@]}" "$@"
  [ "$name" != results ] || RESULTS_HTTP=${HTTP_OF[results]}
  wait_http "http://127.0.0.1:${HTTP_OF[$name]}/progress" 120
}
# start_compute N [VAR=VALUE...]: compute-N; before the first reader they start side by side, and the
# reader waits until all are live; later ones are waited for at once
start_compute() {
  local m; m=$(free_port)
  start_role "compute-$1" compute "$(free_port)" "$m" "${ROLE_ENV[@]}" "${@:2}"
  COMPUTES_STARTING+=("http://127.0.0.1:$m/observe/health/live")
  [ "$READER_STARTED" = 1 ] && computes_live
  return 0
}
computes_live() { local u; for u in "${COMPUTES_STARTING[@]}"; do wait_http "$u" 120; done; COMPUTES_STARTING=(); }
start_reader() { computes_live; READER_STARTED=1; start_role "reader-$1" read "$(free_port)" "$(free_port)" "${ROLE_ENV[@]}" "${@:2}"; }
# read_once NAME SECONDS [VAR=VALUE...]: a reader in the foreground; sets READ_STATUS to its exit status
read_once() { computes_live; READER_STARTED=1; READ_STATUS=0; run_role "reader-$1" read "$2" "${ROLE_ENV[@]}" "${@:3}" || READ_STATUS=$?; }
wait_ready() { wait_http "http://127.0.0.1:${MGMT_OF[$1]}/observe/health/ready" 120; }

progress_url() { echo "http://127.0.0.1:${HTTP_OF[${1:-results}]}/progress"; }
# progress EXPR [REPLICA]: EXPR (Python) over j = /progress of the replica
progress() { json_get "$(progress_url "${2:-results}")" "$1"; }
# chunks counted so far by the latest attempt at each survey month
counted() { local n; n=$(progress 'sum(m["attempts"][-1]["chunksCounted"] for m in j["months"].values() if m.get("attempts"))'); echo "${n:-0}"; }
wait_counted() { # N: until the results role has counted at least N chunks
  for _ in $(seq 1 3000); do [ "$(counted)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "results never counted $1 chunks" >&2; return 1
}
run_id() { progress 'j["runId"] or ""'; }
wait_run_complete() { # [PREVIOUS_RUN_ID [REPLICA]]: until a run other than PREVIOUS is the latest and all is complete
  for _ in $(seq 1 3000); do
    [ "$(progress "j['complete'] and j['runId'] not in ('${1:-none}', None)" "${2:-results}")" = true ] && return 0
    sleep 0.2
  done
  echo "run never completed" >&2; return 1
}

# check WHAT COMMAND...: unless COMMAND succeeds, WHAT is a reason for the case to FAIL (see verdict)
check() { local what=$1; shift; if ! "$@" >/dev/null 2>&1; then problems+=("$what"); fi; }
# holds EXPR [REPLICA]: EXPR (Python, over j = /progress) is true
holds() { [ "$(progress "bool($1)" "${2:-results}")" = true ]; }
# wait_holds SECONDS EXPR: until EXPR holds (for what another results partition may bring a moment later)
wait_holds() { for _ in $(seq 1 $(($1 * 5))); do holds "$2" && return 0; sleep 0.2; done; return 1; }

# verdict CASE_NAME [REPLICA...]: compares /results of each replica (default: results) with the
# independent count ($ORACLE, default the suite's data) and prints the line; a check that failed, or
# replicas that disagree, make it FAIL too, with the reasons below it
verdict() {
  local name=$1 r line; shift
  local bodies=()
  for r in "${@:-results}"; do bodies+=("$(curl -fsS "http://127.0.0.1:${HTTP_OF[$r]}/results" || echo '{}')"); done
  line=$(python3 - "${ORACLE:-$suite/oracle.json}" "$name" "${#problems[@]}" "${bodies[@]}" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
name, problems, bodies = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
got = [{y: {c: v["Count"] for c, v in codes.items()} for y, codes in json.loads(b).items()} for b in bodies]
total = lambda d: sum(sum(codes.values()) for codes in d.values())
verdict = "PASS" if all(g == expected for g in got) and problems == 0 else "FAIL"
print(f"{name:<46} expected {total(expected):>8}  counted {total(got[0]):>8}  {verdict}")
for i, g in enumerate(got[1:], 2):
    if g != expected:
        print(f"  - replica {i} counted {total(g)}: {json.dumps(g)}")
PY
)
  echo "$line"
  for r in "${problems[@]}"; do echo "  - $r"; done
  case "$line" in *PASS*) ;; *) failures=$((failures + 1)); echo "  (logs: $WORK/logs)" ;; esac
  problems=()
}

# skipped CASE_NAME REASON: a case that could not run here; never a PASS
skipped() {
  printf '%-46s SKIPPED (not proven): %s\n' "$1" "$2"
  skipped=$((skipped + 1))
}

should_run() { # N...: with --only, whether one of the cases N is the one asked for
  [ -z "$only" ] && return 0
  local n; for n in "$@"; do [ "$only" = "$n" ] && return 0; done; return 1
}

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

# --- cases 7-11 on one cluster, one after the other: every operation below happens to a pipeline
# that has counted, and each must leave the counts exact. Results topic of 3 partitions, two replicas.
case_no=7
if should_run 7 8 9 10 11; then
  new_cluster 1; ROLE_ENV+=(RESULTS_PARTITIONS=3)
  start_results; start_compute 1; start_compute 2
  start_reader 1
  wait_counted $((total_chunks / 4))
  start_results replica-2                      # joins mid-run: replays what is there, then follows
  wait_run_complete; wait_run_complete "" replica-2
  check "kcat, to look at the topics (installed from Debian when missing)" ensure_kcat
  check "results topic has 3 partitions (RESULTS_PARTITIONS=3 on a fresh topic)" \
    test "$(kcat -L -b "$BOOTSTRAP" -t results -J 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["topics"][0]["partitions"]))')" = 3
  check "replica-2 ready (/observe/health/ready): its replay reached the end offsets" wait_ready replica-2
  check "both replicas serve the same run" test "$(run_id)" = "$(progress 'j["runId"]' replica-2)"
  verdict "7 two results replicas, 3 results partitions" results replica-2
fi

case_no=8
if should_run 7 8 9 10 11; then
  # Poison written straight onto the results topic, keyed like a month's messages; chunk results of
  # the counted attempt, so that only their numbers (or their form) are wrong, and one forged attempt.
  attempt=$(progress 'j["months"]["2019-01"]["counted"]["attemptId"]') now=$(date +%s000)
  chunk() { printf 'month/2019-01\t{"type":"chunk-result","attemptId":"%s","month":"2019-01","seq":%s,"chunkLines":10,"records":10,"counts":%s,"rejected":{},"readAt":%s}\n' "$@"; }
  {
    chunk "$attempt" 2147483000 '{"1":10}' "$now"          # bad-seq
    chunk "$attempt" 0 '{"99":10}' "$now"                  # unknown-code
    chunk "$attempt" 1 '{"1":15,"2":-5}' "$now"            # bad-count
    printf 'month/2019-01\t{"type":"chunk-result","attemptId":"%s","seq":\n' "$attempt"   # unreadable
    chunk forged-source-1 0 '{"1":10}' "$now"              # unknown-attempt
  } > "$WORK/poison.txt"
  dlq() { kcat -C -b "$BOOTSTRAP" -t results.dlq -o beginning -e -q -f '%h\n' 2>/dev/null || true; }
  dlq_reasons() { # distinct poison messages on the DLQ (by their origin), as "reason origin" lines
    dlq | python3 -c '
import re, sys
seen = {}
for line in sys.stdin:
    r = re.search(r"ks-error=([a-z-]+):", line); o = re.search(r"ks-original-topic-partition-offset=(results/[0-9]+/[0-9]+)", line)
    if r and o: seen[o.group(1)] = r.group(1)
print("\n".join(sorted(f"{r} {o}" for o, r in seen.items())))'
  }
  if command -v kcat >/dev/null && kcat -P -b "$BOOTSTRAP" -t results -K $'\t' < "$WORK/poison.txt"; then
    for _ in $(seq 1 60); do [ "$(dlq | wc -l)" -ge 10 ] && break; sleep 1; done   # 5 from each replica
    kill -9 "$(pid_of replica-2)"
    start_results replica-2                    # a restart replays the poison too
    check "replica-2 ready again after replaying the poison" wait_ready replica-2
    check "results (the first replica) still live" wait_http "http://127.0.0.1:${MGMT_OF[results]}/observe/health/live" 10
    reasons=$(dlq_reasons | awk '{print $1}' | sort | tr '\n' ' ')
    check "results.dlq holds the 5 poison messages, one reason each (has: ${reasons:-nothing})" \
      test "$reasons" = "bad-count bad-seq unknown-attempt unknown-code unreadable "
  else
    problems+=("could not write the poison with kcat")
  fi
  verdict "8 poison on the results topic: DLQ, replay" results replica-2
fi

case_no=9
if should_run 7 8 9 10 11; then
  before=$(progress '{m: v["counted"]["attemptId"] for m, v in j["months"].items()}')
  prev=$(run_id)
  mkdir -p "$WORK/truncated" "$WORK/empty-site"
  jan="$suite/data/jan19pub.dat.gz"
  head -c $(( $(stat -c %s "$jan") / 2 )) "$jan" > "$WORK/truncated/jan19pub.dat.gz"
  read_once truncated 180 CENSUS_FILES="$WORK/truncated/jan19pub.dat.gz"
  check "reader of a truncated copy exits 1 (exit $READ_STATUS)" test "$READ_STATUS" = 1
  wait_run_complete "$prev"; truncated_run=$(run_id)
  check "2019-01 shows the truncated read as a failed attempt beside its counts" \
    wait_holds 30 "any(a['status'] == 'failed' and a['runId'] == '$truncated_run' for a in j['months']['2019-01']['attempts'])"
  site=$(free_port)   # a census site answering 500 for January and 404 for February
  python3 "$root/scripts/census-http.py" "$site" "$WORK/empty-site" --fail jan19pub.dat.gz > "$WORK/logs/census-http-500.log" 2>&1 &
  echo "census-http-500 $!" >> "$CLUSTER_PIDS_FILE"; disown $!
  wait_port "$site" 30
  read_once http-errors 180 CENSUS_FILES= CENSUS_YEARS=2019 CENSUS_MONTHS=jan,feb HTTP_RETRIES=1 HTTP_RETRY_DELAY_MS=200 \
    CENSUS_URL_TEMPLATE="http://127.0.0.1:$site/{year}/{mon}{yy}pub.dat.gz"
  check "reader with HTTP 500 and 404 exits 1 (exit $READ_STATUS)" test "$READ_STATUS" = 1
  wait_run_complete "$truncated_run"
  check "/progress: the last run says jan19pub failed (500), feb19pub missing" \
    holds "[(o['source'], o['status']) for o in j['runs'][-1]['outcomes']] == [('jan19pub', 'failed'), ('feb19pub', 'missing')] and '500' in j['runs'][-1]['outcomes'][0]['error']"
  check "counted generations unchanged ($before)" test "$(progress '{m: v["counted"]["attemptId"] for m, v in j["months"].items()}')" = "$before"
  verdict "9 re-read fails: truncated, HTTP 500, 404" results replica-2
fi

case_no=10
if should_run 7 8 9 10 11; then
  # March (not counted yet) under four names and formats, all in one run: counted once
  mar=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/march" 2019 3 "$records" | tr ',' '\n' | tail -1)
  mkdir -p "$WORK/names" "$WORK/second"
  gunzip -c "$mar" > "$WORK/names/mar19pub.dat"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED).write(sys.argv[2], "mar19pub.dat")' \
    "$WORK/names/mar19pub.zip" "$WORK/names/mar19pub.dat"
  cp "$mar" "$WORK/second/mar19pub.dat.gz"
  python3 "$root/scripts/oracle.py" 2019 ${files//,/ } "$WORK/names/mar19pub.dat" > "$suite/oracle-with-march.json"
  prev=$(run_id)
  read_once four-names 240 CENSUS_FILES="$mar,$WORK/names/mar19pub.zip,$WORK/names/mar19pub.dat,$WORK/second/mar19pub.dat.gz"
  check "reader exits 0 (exit $READ_STATUS)" test "$READ_STATUS" = 0
  wait_run_complete "$prev"
  check "2019-03: one attempt counted, three unchanged (has: $(progress 'sorted(a["status"] for a in j["months"]["2019-03"]["attempts"])'))" \
    holds "sorted(a['status'] for a in j['months']['2019-03']['attempts']) == ['counted', 'unchanged', 'unchanged', 'unchanged']"
  check "2019-03: the four attempts have one digest, the counted one, of $records records" \
    holds "{a['digest'] for a in j['months']['2019-03']['attempts']} == {j['months']['2019-03']['counted']['digest']} and j['months']['2019-03']['counted']['records'] == $records"
  ORACLE="$suite/oracle-with-march.json" verdict "10 one month under four names and formats" results replica-2
fi

case_no=11
if should_run 7 8 9 10 11; then
  slow=$(free_port) fast=$(free_port)
  # a generated month gzips to ~400 kB: 16 s each at 25 kB/s, so the reader is still mid-file when killed
  python3 "$root/scripts/census-http.py" "$slow" "$suite/data" --bytes-per-second 25000 > "$WORK/logs/census-http-slow.log" 2>&1 &
  echo "census-http-slow $!" >> "$CLUSTER_PIDS_FILE"; disown $!
  python3 "$root/scripts/census-http.py" "$fast" "$suite/data" > "$WORK/logs/census-http-fast.log" 2>&1 &
  echo "census-http-fast $!" >> "$CLUSTER_PIDS_FILE"; disown $!
  wait_port "$slow" 30; wait_port "$fast" 30
  over_http=(CENSUS_FILES= CENSUS_YEARS=2019 CENSUS_MONTHS=jan,feb)
  prev=$(run_id)
  start_reader slow "${over_http[@]}" CENSUS_URL_TEMPLATE="http://127.0.0.1:$slow/{year}/{mon}{yy}pub.dat.gz" READ_BATCH_CHUNKS=20
  for _ in $(seq 1 900); do [ "$(run_id)" != "$prev" ] && break; sleep 0.2; done
  killed=$(run_id)
  check "complete is false once a second run started" holds "not j['complete'] and j['runId'] == '$killed'"
  mid="[a for a in j['months'].get('2019-01', {}).get('attempts', []) if a['runId'] == '$killed']"
  for _ in $(seq 1 900); do holds "$mid and $mid[0]['chunksCounted'] >= 20" && break; sleep 0.2; done
  check "complete is false while the second run reads" holds "not j['complete']"
  check "the slow reader was still reading when killed" kill -9 "$(pid_of reader-slow)"
  check "the reader was killed mid-file (its attempt never finished)" holds "$mid and 'finishedAt' not in $mid[0]"
  for _ in $(seq 1 50); do c1=$(counted); sleep 1; [ "$(counted)" = "$c1" ] && break; done   # compute drained
  check "complete stays false after kill -9 of the reader" holds "not j['complete'] and j['runs'][-1]['status'] == 'reading'"
  read_once again 240 "${over_http[@]}" CENSUS_URL_TEMPLATE="http://127.0.0.1:$fast/{year}/{mon}{yy}pub.dat.gz" CHUNK_LINES=7
  check "re-run with CHUNK_LINES=7 exits 0 (exit $READ_STATUS)" test "$READ_STATUS" = 0
  wait_run_complete "$killed"
  check "the killed run shows superseded by the re-run" holds "[r['status'] for r in j['runs'] if r['runId'] == '$killed'] == ['superseded']"
  check "the re-run read both months whole, in chunks of 7, with the counted records (unchanged)" \
    holds "all(m['attempts'][-1]['status'] == 'unchanged' and m['attempts'][-1]['chunkLines'] == 7 for k, m in j['months'].items() if k != '2019-03')"
  ORACLE="$suite/oracle-with-march.json" verdict "11 reader killed mid-file, rerun CHUNK_LINES=7" results replica-2
fi

# --- cases 12-13 on one cluster
case_no=12
if should_run 12 13; then
  new_cluster 1; start_results; start_compute 1; start_compute 2
  start_reader 1
  wait_counted $((total_chunks / 4))
  kill -9 "$(pid_of broker-1)"
  sleep 3
  restart_broker 1
  wait_run_complete
  check "the run read both months whole and counted them" \
    holds "[o['status'] for o in j['runs'][-1]['outcomes']] == ['ok', 'ok'] and all(m['status'] == 'counted' for m in j['months'].values())"
  verdict "12 kill -9 the only broker, restart same data"
fi

case_no=13
if should_run 12 13; then
  prev=$(run_id)
  kill "$(pid_of broker-1)"; for _ in $(seq 1 150); do kill -0 "$(pid_of broker-1)" 2>/dev/null || break; sleep 0.2; done
  read_once no-broker 150 KAFKA_BROKER_WAIT_SECONDS=10
  check "reader without a broker for KAFKA_BROKER_WAIT_SECONDS=10 exits 2 (exit $READ_STATUS)" test "$READ_STATUS" = 2
  check "its log says why (Reader run failed: ... unavailable)" grep -q "Reader run failed: .*unavailable" "$WORK/logs/reader-no-broker.log"
  restart_broker 1; wait_port "${BROKER_PORTS[0]}" 60
  read_once again 240
  check "re-run exits 0 (exit $READ_STATUS)" test "$READ_STATUS" = 0
  wait_run_complete "$prev"
  check "the re-run counted both months again, whole (unchanged)" \
    holds "j['runId'] != '$prev' and all(m['attempts'][-1]['status'] == 'unchanged' and m['attempts'][-1]['runId'] == j['runId'] for m in j['months'].values())"
  verdict "13 broker down > KAFKA_BROKER_WAIT_SECONDS"
fi

case_no=14
if should_run 14; then
  name="14 compute cut off > session timeout (netns)"
  command -v ip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2; } >/dev/null 2>&1 || true
  # a /30 of our own between this host and the namespace: 10.213.N.0/30 with an N no interface uses
  NETNS="ksf$$"; net=$(( $$ % 250 + 1 ))
  for _ in $(seq 1 250); do ip -4 addr show 2>/dev/null | grep -q "inet 10\.213\.$net\." || break; net=$(( net % 250 + 1 )); done
  host_addr=10.213.$net.1 ns_addr=10.213.$net.2
  netns_delete "$NETNS"
  if ! why=$(netns_create "$NETNS" "$host_addr" "$ns_addr" 2>&1); then
    netns_delete "$NETNS"; NETNS=""
    skipped "$name" "no network namespace here (${why:-ip netns failed}; needs root and iproute2)"
  else
    ns_port=$(free_port)
    new_cluster 1 "NETNS://$host_addr:$ns_port"
    start_results; start_compute 1
    # the worker to cut off: in the namespace, reaching the broker through the veth; slow (a batch of
    # up to 200 chunks takes 20 s) so that it is mid-batch when cut; its group session is 10 s
    ns_mgmt=$(free_port)
    ROLE_NETNS=$NETNS ROLE_JVM_OPTS="$ROLE_JVM_OPTS -Dcamel.component.kafka.session-timeout-ms=10000" \
      start_role compute-netns compute "$(free_port)" "$ns_mgmt" "${ROLE_ENV[@]}" \
      KAFKA_BROKERS="$host_addr:$ns_port" COMPUTE_DELAY_MS=100
    ns_metric() { ip netns exec "$NETNS" curl -fsS --max-time 5 "http://127.0.0.1:$ns_mgmt/observe/metrics" 2>/dev/null \
      | awk -v m="$1" 'index($1, m) == 1 {s += $2} END {print s + 0}'; }
    duplicates() { curl -fsS --max-time 5 "http://127.0.0.1:${MGMT_OF[results]}/observe/metrics" 2>/dev/null \
      | awk 'index($1, "kafka_scale_result_chunks_total{outcome=\"duplicate\"") == 1 {s += $2} END {print s + 0}'; }
    zombie_log="$WORK/logs/compute-netns.log"
    for _ in $(seq 1 600); do ip netns exec "$NETNS" curl -fsS -o /dev/null "http://127.0.0.1:$ns_mgmt/observe/health/live" 2>/dev/null && break; sleep 0.2; done
    check "the namespaced worker runs with a 10 s session timeout" grep -q "kafka.sessionTimeoutMs = 10000" "$zombie_log"
    start_reader 1
    for _ in $(seq 1 900); do [ "$(ns_metric kafka_scale_compute_messages_read)" -ge 1 ] && break; sleep 0.2; done
    check "the namespaced worker got chunks before the cut" test "$(ns_metric kafka_scale_compute_messages_read)" -ge 1
    ip link set "${NETNS}h" down; cut=$(date +%s)
    # cut off until the other worker has taken its partitions over and the run is complete (at least
    # 12 s, longer than its session; at most 90 s, within its producer's 120 s delivery timeout)
    for _ in $(seq 1 450); do
      cut_for=$(( $(date +%s) - cut ))
      { [ "$cut_for" -ge 12 ] && holds "j['complete']"; } || [ "$cut_for" -ge 90 ] && break
      sleep 0.2
    done
    complete_when_cut=$(progress "j['complete']") dup_at_heal=$(duplicates)
    ip link set "${NETNS}h" up
    check "the run completed while the worker was cut off (${cut_for}s)" test "$complete_when_cut" = true
    wait_run_complete
    # healed: the zombie delivers the results of the batch it counted while cut off, and only then
    # tries to commit, which fails (its partitions belong to the other worker now)
    for _ in $(seq 1 90); do grep -q CommitFailedException "$zombie_log" && break; sleep 1; done
    check "after the heal the cut-off worker delivered its late results (its commit then failed)" \
      grep -q CommitFailedException "$zombie_log"
    dup=$dup_at_heal
    for _ in $(seq 1 60); do sleep 1; d=$(duplicates); [ "$d" -gt "$dup_at_heal" ] && [ "$d" = "$dup" ] && break; dup=$d; done
    check "the results role took them for duplicates ($dup_at_heal before the heal, $dup after)" test "$dup" -gt "$dup_at_heal"
    verdict "$name"
    stop_all; netns_delete "$NETNS"; NETNS=""
  fi
fi

stop_all
elapsed=$(( $(date +%s) - started ))
if [ "$failures" = 0 ] && [ "$skipped" = 0 ]; then
  echo "fault suite: took ${elapsed}s"
  echo "fault suite: all cases PASS"
  [ -n "${FAULT_SUITE_KEEP:-}" ] || rm -rf "$suite"
  exit 0
fi
echo "fault suite: $failures case(s) FAIL, $skipped SKIPPED (${elapsed}s; work folder $suite)"
exit 1
