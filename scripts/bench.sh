#!/usr/bin/env bash
# Throughput of the pipeline against Kafka's own ceiling and a CPU floor, in one run, on one broker
# process on 127.0.0.1; then compute scaling with 1, 2, 4 and 8 consumers. Prints one JSON line per
# measurement (median of --repeat runs) and a JSON summary last; writes target/bench/.
#
#   scripts/bench.sh [--records-per-month N] [--months M] [--chunk-lines L] [--repeat R]
#                    [--scaling-chunks C] [--skip-scaling]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

records=140000 months=1 chunk_lines=10 repeat=3 scaling_chunks=4000 skip_scaling=0
while [ $# -gt 0 ]; do
  case $1 in
    --records-per-month) records=$2; shift 2 ;;
    --months) months=$2; shift 2 ;;
    --chunk-lines) chunk_lines=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --scaling-chunks) scaling_chunks=$2; shift 2 ;;
    --skip-scaling) skip_scaling=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar "$root"
JAR="$root/target/kafka-scale.jar"
out="$root/target/bench"; mkdir -p "$out"
WORK=$(mktemp -d -t kafka-scale-bench.XXXXXX); mkdir -p "$WORK/logs"
CLUSTER_PIDS_FILE="$WORK/pids"; : > "$CLUSTER_PIDS_FILE"
trap 'stop_all; rm -rf "$WORK"' EXIT

# Kafka's own perf tools, from Maven Central
tools=$(find ~/.m2/repository/org/apache/kafka/kafka-tools/3.9.1 -name 'kafka-tools-3.9.1.jar' 2>/dev/null | head -1)
if [ -z "$tools" ]; then
  (cd "$WORK" && mvn -q dependency:get -Dartifact=org.apache.kafka:kafka-tools:3.9.1 >/dev/null)
  tools=$(find ~/.m2/repository/org/apache/kafka/kafka-tools/3.9.1 -name 'kafka-tools-3.9.1.jar' | head -1)
fi
TOOLS_CP="$tools:$JAR"

now_ms() { date +%s%3N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
progress_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1]) or 0)' "$1"; }

# one broker process, the same for every measurement
bport=$(free_port); cport=$(free_port)
start_broker 1 "$bport" "$cport" "1@127.0.0.1:$cport" "$WORK" "$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)" 1
BOOTSTRAP="127.0.0.1:$bport"
wait_port "$bport" 60

files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/data" 2019 "$months" "$records")
total_records=$((records * months))
raw_bytes=$(for f in ${files//,/ }; do stat -c %s "$f"; done | awk '{s+=$1} END {print s}')
chunks=$(( months * ((records + chunk_lines - 1) / chunk_lines) ))
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"

emit() { # name seconds [extra json]
  python3 - "$1" "$2" "$total_records" "$raw_bytes" "${3:-}" <<'PY'
import json, sys
name, seconds, records, raw, extra = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
line = {"measurement": name, "records": records, "raw_bytes": raw, "seconds": round(seconds, 3),
        "records_per_s": round(records / seconds), "mb_per_s": round(raw / seconds / 1e6, 2)}
if extra:
    line.update(json.loads(extra))
print(json.dumps(line))
PY
}

# --- 1. ceiling: Kafka's ProducerPerformance + ConsumerPerformance, same number and shape of messages
payload="$WORK/payload.txt"
first_file=${files%%,*}
{ zcat "$first_file" || true; } | head -n $((chunk_lines * 500)) | awk -v n="$chunk_lines" '{printf "%s%s", $0, (NR % n == 0) ? "@" : "\n"}' > "$payload"
ceiling=()
for r in $(seq 1 "$repeat"); do
  topic="bench-ceiling-$r"
  java -cp "$TOOLS_CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic "$topic" \
    --partitions 10 --replication-factor 1 > /dev/null 2>&1
  produced=$(java -cp "$TOOLS_CP" org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$chunks" \
    --payload-file "$payload" --payload-delimiter @ --throughput -1 \
    --producer-props bootstrap.servers="$BOOTSTRAP" acks=all linger.ms=5 batch.size=262144 compression.type=lz4 \
      enable.idempotence=true max.request.size=8388608 2>/dev/null | tail -1)
  p_rate=$(echo "$produced" | sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/')
  consumed=$(java -cp "$TOOLS_CP" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --messages "$chunks" --group "bench-ceiling-$r" --timeout 120000 2>/dev/null | tail -1)
  c_ms=$(echo "$consumed" | awk -F', ' '{print $8}')
  ceiling+=("$(python3 -c "print($chunks / $p_rate + $c_ms / 1000)")")
done
ceiling_s=$(printf '%s\n' "${ceiling[@]}" | median)
emit ceiling "$ceiling_s" "{\"what\": \"ProducerPerformance + ConsumerPerformance, $chunks messages of $chunk_lines records\", \"runs\": [$(IFS=,; echo "${ceiling[*]}")]}"

# --- 2. CPU floor: one thread gunzips, chunks and counts, no Kafka
floor=()
for r in $(seq 1 "$repeat"); do
  floor+=("$(java -cp "$JAR" kafkascale.bench.CpuFloor "$chunk_lines" ${files//,/ } | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
done
floor_s=$(printf '%s\n' "${floor[@]}" | median)
emit cpu_floor "$floor_s" "{\"runs\": [$(IFS=,; echo "${floor[*]}")]}"

# run_until_complete RESULTS_HTTP_PORT: seconds from the reader run's start to /progress complete
run_until_complete() {
  local url="http://127.0.0.1:$1/progress" body
  for _ in $(seq 1 6000); do
    body=$(curl -fsS "$url" 2>/dev/null || true)
    if echo "$body" | grep -q '"complete":true'; then
      local started; started=$(echo "$body" | progress_field runStartedAt)
      python3 -c "print(($(now_ms) - $started) / 1000)"
      return 0
    fi
    sleep 0.1
  done
  echo "pipeline did not complete" >&2; return 1
}

# --- 3a. pipeline: `all` on the external broker
all_runs=() all_rss=()
for r in $(seq 1 "$repeat"); do
  http=$(free_port)
  start_role "all-$r" all "$http" "$(free_port)" CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines" \
    COMPUTE_TOPIC="bench-all-c-$r" RESULTS_TOPIC="bench-all-r-$r" COMPUTE_GROUP="bench-all-c-$r" RESULTS_GROUP="bench-all-r-$r"
  wait_http "http://127.0.0.1:$http/progress" 120
  all_runs+=("$(run_until_complete "$http")")
  all_rss+=("$(peak_rss_mb "$(pid_of "all-$r")")")
  kill "$(pid_of "all-$r")"; while kill -0 "$(pid_of "all-$r")" 2>/dev/null; do sleep 0.2; done
done
all_s=$(printf '%s\n' "${all_runs[@]}" | median)
emit pipeline_all "$all_s" "{\"runs\": [$(IFS=,; echo "${all_runs[*]}")], \"peak_rss_mb\": {\"all\": $(printf '%s\n' "${all_rss[@]}" | median)}}"

# --- 3b. pipeline: separate processes (results, 2 x compute, reader)
multi_runs=() multi_rss=""
for r in $(seq 1 "$repeat"); do
  http=$(free_port)
  roles=(CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines" COMPUTE_TOPIC="bench-mp-c-$r" RESULTS_TOPIC="bench-mp-r-$r"
         COMPUTE_GROUP="bench-mp-c-$r" RESULTS_GROUP="bench-mp-r-$r")
  start_role "mp-results-$r" results "$http" "$(free_port)" "${roles[@]}"
  start_role "mp-compute-a-$r" compute "$(free_port)" "$(free_port)" "${roles[@]}"
  start_role "mp-compute-b-$r" compute "$(free_port)" "$(free_port)" "${roles[@]}"
  wait_http "http://127.0.0.1:$http/progress" 120
  sleep 3 # the compute group settles
  start_role "mp-reader-$r" read "$(free_port)" "$(free_port)" "${roles[@]}" READ_EXIT_WHEN_DONE=false
  multi_runs+=("$(run_until_complete "$http")")
  multi_rss="{\"results\": $(peak_rss_mb "$(pid_of "mp-results-$r")"), \"compute\": $(peak_rss_mb "$(pid_of "mp-compute-a-$r")"), \"compute_2\": $(peak_rss_mb "$(pid_of "mp-compute-b-$r")"), \"read\": $(peak_rss_mb "$(pid_of "mp-reader-$r")")}"
  for n in results compute-a compute-b reader; do kill "$(pid_of "mp-$n-$r")" 2>/dev/null || true; done
  sleep 2
done
multi_s=$(printf '%s\n' "${multi_runs[@]}" | median)
emit pipeline_processes "$multi_s" "{\"runs\": [$(IFS=,; echo "${multi_runs[*]}")], \"peak_rss_mb\": $multi_rss}"

# --- 3c. `all` with its embedded broker: peak RSS (target <= 1 GiB), one run
http=$(free_port)
start_role embedded all "$http" "$(free_port)" KAFKA_BROKERS= EMBEDDED_KAFKA_PORT=0 CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines"
wait_http "http://127.0.0.1:$http/progress" 120
embedded_s=$(run_until_complete "$http")
embedded_rss=$(peak_rss_mb "$(pid_of embedded)")
kill "$(pid_of embedded)"
emit pipeline_all_embedded "$embedded_s" "{\"peak_rss_mb\": {\"all_embedded\": $embedded_rss}}"

python3 - "$total_records" "$ceiling_s" "$floor_s" "$all_s" "$multi_s" "$embedded_rss" "$machine" "$chunk_lines" <<'PY'
import json, sys
records, ceiling, floor, all_s, multi, rss, machine, chunk = sys.argv[1:]
records, ceiling, floor, all_s, multi = int(records), float(ceiling), float(floor), float(all_s), float(multi)
print(json.dumps({"summary": True, "records": records, "chunk_lines": int(chunk), "machine": machine,
                  "pipeline_over_ceiling": round(ceiling / all_s, 3),
                  "pipeline_over_floor": round(floor / all_s, 3),
                  "processes_over_ceiling": round(ceiling / multi, 3),
                  "all_embedded_peak_rss_mb": int(rss)}))
PY

[ "$skip_scaling" = 1 ] && exit 0

# --- 4. scaling: COMPUTE_DELAY_MS=10 per chunk, 8 partitions, 1/2/4/8 consumers
scale_records=$((scaling_chunks * chunk_lines))
scale_files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/scale" 2020 1 "$scale_records")
# measure TOPIC NAMES...: seconds from the first chunk read to the last, over the compute JVMs' own counters
measure_compute() {
  local topic=$1; shift
  local mgmts=("$@") start="" sum
  start_role "scale-reader-$topic" read "$(free_port)" "$(free_port)" CENSUS_FILES="$scale_files" CHUNK_LINES="$chunk_lines" \
    COMPUTE_TOPIC="$topic" RESULTS_TOPIC="$topic-r" COMPUTE_PARTITIONS=8
  for _ in $(seq 1 12000); do
    sum=0
    for m in "${mgmts[@]}"; do
      sum=$(( sum + $(curl -fsS "$m/observe/metrics" 2>/dev/null | awk '/^kafka_scale_compute_messages_read_total/ {printf "%d", $2}' || echo 0) ))
    done
    if [ -z "$start" ] && [ "$sum" -gt 0 ]; then start=$(now_ms); fi
    if [ "$sum" -ge "$scaling_chunks" ]; then
      python3 -c "print(round($scaling_chunks / (($(now_ms) - $start) / 1000)))"
      return 0
    fi
    sleep 0.05
  done
  echo 0
}
declare -A by_process by_threads
for n in 1 2 4 8; do
  topic="bench-scale-p$n"
  mgmts=()
  for i in $(seq 1 "$n"); do
    m=$(free_port)
    ROLE_JVM_OPTS="-Xmx192m -XX:TieredStopAtLevel=1" start_role "scale-p$n-$i" compute "$(free_port)" "$m" \
      COMPUTE_TOPIC="$topic" RESULTS_TOPIC="$topic-r" COMPUTE_PARTITIONS=8 COMPUTE_DELAY_MS=10 COMPUTE_GROUP="$topic" COMPUTE_MAX_POLL_RECORDS=10
    mgmts+=("http://127.0.0.1:$m")
  done
  for m in "${mgmts[@]}"; do wait_http "$m/observe/health/ready" 180; done
  sleep 5 # the group settles: every member has its partitions
  by_process[$n]=$(measure_compute "$topic" "${mgmts[@]}")
  for i in $(seq 1 "$n"); do kill "$(pid_of "scale-p$n-$i")" 2>/dev/null || true; done
  echo "{\"measurement\": \"scaling\", \"mode\": \"processes\", \"consumers\": $n, \"chunks_per_s\": ${by_process[$n]}}"

  topic="bench-scale-t$n"; m=$(free_port)
  start_role "scale-t$n" compute "$(free_port)" "$m" COMPUTE_TOPIC="$topic" RESULTS_TOPIC="$topic-r" \
    COMPUTE_PARTITIONS=8 COMPUTE_DELAY_MS=10 COMPUTE_GROUP="$topic" COMPUTE_CONSUMERS="$n" COMPUTE_MAX_POLL_RECORDS=10
  wait_http "http://127.0.0.1:$m/observe/health/ready" 180
  sleep 5
  by_threads[$n]=$(measure_compute "$topic" "http://127.0.0.1:$m")
  kill "$(pid_of "scale-t$n")" 2>/dev/null || true
  echo "{\"measurement\": \"scaling\", \"mode\": \"consumersCount\", \"consumers\": $n, \"chunks_per_s\": ${by_threads[$n]}}"
done
printf '%-10s %16s %16s %12s\n' consumers "processes c/s" "consumers c/s" "ideal c/s"
for n in 1 2 4 8; do
  printf '%-10s %16s %16s %12s\n' "$n" "${by_process[$n]}" "${by_threads[$n]}" "$(( by_process[1] * n ))"
done
java -cp "$JAR" kafkascale.bench.BenchChart "$out/scaling.png" \
  "Compute throughput vs consumers (COMPUTE_DELAY_MS=10, 8 partitions)" \
  "processes=1:${by_process[1]},2:${by_process[2]},4:${by_process[4]},8:${by_process[8]}" \
  "consumersCount=1:${by_threads[1]},2:${by_threads[2]},4:${by_threads[4]},8:${by_threads[8]}"
echo "{\"measurement\": \"scaling_summary\", \"processes_8_over_1\": $(python3 -c "print(round(${by_process[8]} / ${by_process[1]}, 2))"), \"consumersCount_8_over_1\": $(python3 -c "print(round(${by_threads[8]} / ${by_threads[1]}, 2))"), \"target\": 6.4, \"chart\": \"target/bench/scaling.png\"}"
