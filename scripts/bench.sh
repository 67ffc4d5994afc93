#!/usr/bin/env bash
# Throughput of the pipeline against what Kafka itself does with the same messages, a Kafka Streams
# exactly-once peer doing the same job, and a CPU floor: in one run, on one broker process on
# 127.0.0.1, over the same generated month(s) of records of the published length (1,000 characters;
# gzip to about a tenth). Sizes and MB/s are of the unpacked bytes. Every counted run is checked
# against scripts/oracle.py, the independent count: a wrong count fails the bench.
#
# Prints one JSON line per measurement (the median of --repeat runs), then a summary line with the
# ratios of issue #14. Writes target/bench/ (the lines, logs of failed runs, the profile).
#
#   scripts/bench.sh [--records-per-month N] [--months M] [--chunk-lines L] [--repeat R] [--warm-up W]
#                    [--only M,M] [--codec C] [--profile] [--scaling] [--scaling-chunks C]
#
#   --warm-up W unmeasured runs of the Streams peer and of `all` before the measured ones (default 1;
#               more lower the broker's JIT inside the first measured windows, not their times: round 8)
#   --only M,M  only these measurements (ceiling, floor, streams, all, separate, embedded,
#               results-memory), for quick A/B
#               runs of one lever; the summary's ratios need ceiling, streams and all
#   --codec C   the Kafka codec of the roles, the ceilings and the Streams peer alike (KAFKA_COMPRESSION:
#               lz4, the app's default, none, zstd, gzip, snappy)
#   --tools-jvm "OPTS"  JVM options for the ceiling tools and the Streams peer too (default: none but the
#               heap: 1 GiB, and half a GiB more a month past the first),
#               e.g. `all`'s own (role_jvm_options in lib.sh), to compare with the same JIT and GC
#   --profile   one more `all` run, it and the broker profiled (async-profiler); prints the top frames of
#               each in the run's window, and how much of it the JIT compilers and the collector took
#   --scaling   afterwards, compute scaling with 1, 2, 4, 8 consumers (COMPUTE_DELAY_MS=10), with a chart
#
# Every repetition takes each wanted measurement in turn (ceilings, floor, Streams peer, `all`,
# separate processes), so the medians and the paired ratios compare runs made side by side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

records=140000 months=1 chunk_lines=10 repeat=3 warm_up_runs=1 profile=0 scaling=0 scaling_chunks=4000 only=ceiling,floor,streams,all,separate,embedded,results-memory tools_jvm=""
while [ $# -gt 0 ]; do
  case $1 in
    --records-per-month) records=$2; shift 2 ;;
    --months) months=$2; shift 2 ;;
    --chunk-lines) chunk_lines=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --warm-up) warm_up_runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --tools-jvm) tools_jvm=$2; shift 2 ;;
    --codec) export KAFKA_COMPRESSION=$2; shift 2 ;;
    --profile) profile=1; shift ;;
    --scaling) scaling=1; shift ;;
    --scaling-chunks) scaling_chunks=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
partitions=10 # the app's default COMPUTE_PARTITIONS; every measurement uses it
wants() { [[ ",$only," == *",$1,"* ]]; }

# --- builds: the app jar, then the benchmark tools (bench/, not in the product jar)
ensure_jar "$root"
JAR="$root/target/kafka-scale.jar"
BENCH_JAR="$root/bench/target/kafka-scale-bench.jar"
if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$root/bench/src" "$root/bench/pom.xml" "$JAR" -newer "$BENCH_JAR" -print -quit)" ]; then
  (cd "$root/bench" && mvn -B -q package) >&2 # stdout is for the JSON lines
fi
TOOLS_CP="$BENCH_JAR:$(cat "$root/bench/target/classpath.txt")" # Kafka clients and Streams, without the app
FLOOR_CP="$BENCH_JAR:$JAR"                                       # the app's own chunking and counting
# The ceiling tool holds every chunk in memory, twice (text and bytes): 1 GiB of heap for one month ran
# out at four, so half a GiB more per month past the first (--tools-jvm's own -Xmx still wins)
# shellcheck disable=SC2206
TOOL_JVM=(-Xmx$((512 * months + 512))m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $tools_jvm)
report() { python3 "$root/scripts/bench_report.py" "$@"; }

out="$root/target/bench"; mkdir -p "$out"
sampler_pid=""
WORK=$(mktemp -d -t kafka-scale-bench.XXXXXX); mkdir -p "$WORK/logs" "$WORK/runs"
CLUSTER_PIDS_FILE="$WORK/pids"; : > "$CLUSTER_PIDS_FILE"
# logs of the last run are kept for a look after a failure
trap '[ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null; stop_all; rm -rf "$out/logs" "$out/runs"; cp -r "$WORK/logs" "$WORK/runs" "$out" 2>/dev/null; rm -rf "$WORK"' EXIT
lines="$out/lines.jsonl"; : > "$lines"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

now_ms() { date +%s%3N; }
ticks=$(getconf CLK_TCK)
# cpu_seconds PID: user + system CPU the process has used so far (fields 14 and 15 of /proc/PID/stat)
cpu_seconds() { awk -v t="$ticks" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t}' "/proc/$1/stat"; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# one broker process, the same for every measurement
bport=$(free_port); cport=$(free_port)
start_broker 1 "$bport" "$cport" "1@127.0.0.1:$cport" "$WORK" "$(java -cp "$JAR" kafka.tools.StorageTool random-uuid)" 1
BOOTSTRAP="127.0.0.1:$bport"
wait_port "$bport" 60
broker_pid=$(pid_of broker-1)

# --- the data: generated months of the published record length, and their independent count
files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/data" 2019 "$months" "$records")
file_list=${files//,/ }
total_records=$((records * months))
# shellcheck disable=SC2086
unpacked_bytes=$(zcat $file_list | wc -c)
# shellcheck disable=SC2086
gzip_bytes=$(stat -c %s $file_list | awk '{s+=$1} END {print s}')
# shellcheck disable=SC2086
python3 "$root/scripts/oracle.py" 2019 $file_list > "$WORK/oracle.json"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); roles: ${ROLE_JVM_OPTS:-read and all $(role_jvm_options all), compute and results $(role_jvm_options compute)}; tools: ${TOOL_JVM[*]}; codec: ${KAFKA_COMPRESSION:-lz4}"
echo "data: $total_records records, $unpacked_bytes bytes unpacked, $gzip_bytes gzipped; $machine; load average $load_before" >&2

# measured NAME: the median line of NAME's runs, printed and kept for the summary
measured() {
  report measurement "$1" "$WORK/runs/$1.jsonl" "$total_records" "$unpacked_bytes" "$gzip_bytes" | tee -a "$lines"
}
# check_counts NAME FILE [EXPECTED]: the counts in FILE equal the independent count (or EXPECTED's), or the bench fails
check_counts() {
  if ! report check "${3:-$WORK/oracle.json}" "$2"; then
    echo "$1: wrong counts; the bench fails (logs in $out/logs)" >&2
    exit 1
  fi
}

# wait_url URL SECONDS [complete]: waits until URL answers (and its JSON is complete, then printed). One
# python process polls, not a curl a poll: curl and grep every 0.1 s took a third of a core from the
# pipeline while it was being timed (round 15); waiting for complete, every 0.5 s (each poll is an answer
# the app works for, and a run's times are /progress's own); lib.sh's wait_http is for scripts that time nothing.
wait_url() { report wait-url "$@"; }

# wait_complete_run RESULTS_HTTP_PORT RESULTS_TOPIC: waits for /progress complete; prints "SECONDS TIMING START_MS END_MS".
# A run starts at runStartedAt (the reader's clock) and ends at completedAt (the results JVM's clock)
# when /progress has it: timing "server". Without it, the run ends at the last results message's
# Kafka timestamp (timing "results-topic", the producers' clocks): a client poll would be late by as
# much as the app takes to open its HTTP port, which in `all` can come after a short run is over.
wait_complete_run() {
  local body
  body=$(wait_url "http://127.0.0.1:$1/progress" 600 complete) || return 1 # it says what it waited for
  java "${TOOL_JVM[@]}" -cp "$TOOLS_CP" kafkascale.bench.ResultsClock "$BOOTSTRAP" "$2" > "$WORK/results-clock.json"
  echo "$body" | python3 -c '
import json, sys
d, last = json.load(sys.stdin), json.load(open(sys.argv[1]))["last_ms"]
start, done = d["runStartedAt"], d.get("completedAt")
end = done or last
print((end - start) / 1000, "server" if done else "results-topic", start, end)' "$WORK/results-clock.json"
}
# CPU seconds per process over the run's window: a sampler runs while the pipeline does
start_cpu_sampler() { # PID...
  python3 "$root/scripts/bench_report.py" cpu-sampler "$WORK/cpu-samples" "$@" &
  sampler_pid=$!
}
stop_cpu_sampler() {
  kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
}
cpu_window() { # START_MS END_MS NAME=PID...: prints {"NAME": seconds, ...}
  report cpu-window "$WORK/cpu-samples" "$@"
  report jit-window "$WORK/cpu-samples" "$@" > "$WORK/jit-window.json"
  report machine-window "$WORK/cpu-samples" "$1" "$2" > "$WORK/machine-window.json"
  rm -f "$WORK/cpu-samples"
}
# check_results NAME RESULTS_HTTP_PORT
check_results() {
  curl -fsS "http://127.0.0.1:$2/results" > "$WORK/results.json"
  check_counts "$1" "$WORK/results.json"
}
stop_named() {
  local p name
  for name in "$@"; do
    p=$(pid_of "$name"); [ -n "$p" ] || continue
    kill "$p" 2>/dev/null || true
    while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  done
}

# --- the measurements. Each function is one run of one measurement (R: the repetition); the loop after
# them takes every wanted measurement in turn per repetition, so that a broker still warming, or another
# drift over the minutes a bench takes, falls on every measurement alike instead of on the ones
# measured last, and the ratios of a repetition (summary: *_paired) compare runs made side by side.
progress() { # NAME R: the run just made, on stderr
  python3 -c 'import json, sys; lines = open(sys.argv[1]).read().split("\n"); print(sys.argv[2], "run", sys.argv[3] + ":", json.loads([l for l in lines if l.strip()][-1])["seconds"], "s", file=sys.stderr)' \
    "$WORK/runs/$1.jsonl" "$1" "$2"
}

# 1. ceilings: Kafka alone with the pipeline's messages (keys, headers, values, client settings)
# tool_window FILE: "START_MS END_MS" of a tool's measured window, from its JSON line
tool_window() { python3 -c 'import json, sys; print(*json.load(open(sys.argv[1]))["window_ms"])' "$1"; }
run_ceiling() { # MODE R
  local mode=$1 r=$2 broker_cpu
  start_cpu_sampler "$broker_pid"
  # shellcheck disable=SC2086
  java "${TOOL_JVM[@]}" -cp "$TOOLS_CP" kafkascale.bench.KafkaCeiling "$BOOTSTRAP" "bench-ceiling-$mode-$r" "$mode" \
    "$chunk_lines" "$partitions" $file_list > "$WORK/ceiling.json" 2> "$WORK/logs/ceiling-$mode-$r.log"
  stop_cpu_sampler
  # shellcheck disable=SC2046
  broker_cpu=$(cpu_window $(tool_window "$WORK/ceiling.json") broker="$broker_pid")
  python3 - "$WORK/ceiling.json" "$broker_cpu" "$(cat "$WORK/jit-window.json")" "$(cat "$WORK/machine-window.json")" >> "$WORK/runs/ceiling_$mode.jsonl" <<'PY'
import json, sys
c, broker, jit = json.load(open(sys.argv[1])), json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps({"seconds": c["seconds"], "produce_seconds": c["produce_seconds"], "consume_seconds": c["consume_seconds"],
                  "messages": c["messages"], "cpu_seconds": {"client": c["cpu_seconds"], **broker}, "jit_cpu_seconds": jit,
                  "machine_busy": float(sys.argv[4]), "window_ms": c["window_ms"]}))
PY
  progress "ceiling_$mode" "$r"
}

# 2. CPU floor: one thread gunzips, chunks and counts with the app's classes, no Kafka
run_floor() { # R
  # shellcheck disable=SC2086
  java -cp "$FLOOR_CP" kafkascale.bench.CpuFloor "$chunk_lines" $file_list | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["records"] == int(sys.argv[1]), c
print(json.dumps({"seconds": c["seconds"], "cpu_seconds": {"floor": c["cpu_seconds"]}}))' "$total_records" >> "$WORK/runs/cpu_floor.jsonl"
  progress cpu_floor "$1"
}

# 3. the same job as a Kafka Streams app, exactly-once v2, 2 stream threads: as a plain app runs
# (streams_peer: the JVM's defaults), and with `all`'s own JVM options (streams_peer_same_jvm), so the
# JIT and GC choice the pipeline ships with is not counted as the pipeline's design
run_streams() { # NAME EXTRA_JVM_OPTS R
  local name=$1 extra=$2 r=$3 window_cpu streams_pid
  # shellcheck disable=SC2086
  java "${TOOL_JVM[@]}" $extra -cp "$TOOLS_CP" kafkascale.bench.StreamsPeer "$BOOTSTRAP" "bench-$name-in-$r" "bench-$name-out-$r" \
    "$chunk_lines" "$partitions" 2 "$WORK/$name-state-$r" $file_list > "$WORK/streams.json" 2> "$WORK/logs/$name-$r.log" &
  streams_pid=$!
  # the app's JIT too (its CPU it measures itself), to set beside `all`'s
  start_cpu_sampler "$broker_pid" "$streams_pid"
  wait "$streams_pid"
  stop_cpu_sampler
  # shellcheck disable=SC2046
  window_cpu=$(cpu_window $(tool_window "$WORK/streams.json") broker="$broker_pid" streams_app="$streams_pid")
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["counts"]))' "$WORK/streams.json" > "$WORK/streams-counts.json"
  check_counts "$name run $r" "$WORK/streams-counts.json"
  python3 - "$WORK/streams.json" "$window_cpu" "$extra" "$(cat "$WORK/jit-window.json")" "$(cat "$WORK/machine-window.json")" >> "$WORK/runs/$name.jsonl" <<'PY'
import json, sys
c, window, jit = json.load(open(sys.argv[1])), json.loads(sys.argv[2]), json.loads(sys.argv[4])
print(json.dumps({"seconds": c["seconds"], "stream_threads": c["stream_threads"], "counts_checked": True,
                  "jvm_options": sys.argv[3], "cpu_seconds": {"streams_app": c["cpu_seconds"], "broker": window["broker"]},
                  "jit_cpu_seconds": jit, "machine_busy": float(sys.argv[5]), "window_ms": c["window_ms"]}))
PY
  progress "$name" "$r"
}

# 4. pipeline: `all` on the external broker
run_all() { # R
  local r=$1 http pid run seconds timing started ended total_cpu rss cpu launched
  http=$(free_port)
  launched=$(now_ms) # also timed from the JVM's launch: what a newcomer waits for, start-up included
  start_role "all-$r" all "$http" "$(free_port)" CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines" COMPUTE_PARTITIONS="$partitions" \
    COMPUTE_TOPIC="bench-all-c-$r" RESULTS_TOPIC="bench-all-r-$r" COMPUTE_GROUP="bench-all-c-$r" RESULTS_GROUP="bench-all-r-$r"
  pid=$(pid_of "all-$r")
  start_cpu_sampler "$pid" "$broker_pid"
  wait_url "http://127.0.0.1:$http/progress" 120
  run=$(wait_complete_run "$http" "bench-all-r-$r"); read -r seconds timing started ended <<< "$run"
  total_cpu=$(cpu_seconds "$pid"); rss=$(peak_rss_mb "$pid")
  stop_cpu_sampler; cpu=$(cpu_window "$started" "$ended" all="$pid" broker="$broker_pid")
  check_results "all run $r" "$http"
  stop_named "all-$r"
  echo "{\"seconds\": $seconds, \"timing\": \"$timing\", \"counts_checked\": true, \"peak_rss_mb\": {\"all\": $rss}, \"cpu_seconds\": $cpu, \"jit_cpu_seconds\": $(cat "$WORK/jit-window.json"), \"cpu_seconds_all_with_jvm_start\": $total_cpu, \"seconds_from_launch\": $(((ended - launched) / 1000)).$(printf %03d $(((ended - launched) % 1000))), \"machine_busy\": $(cat "$WORK/machine-window.json"), \"window_ms\": [$started, $ended]}" >> "$WORK/runs/pipeline_all.jsonl"
  progress pipeline_all "$r"
}

# 5. pipeline: separate processes (results, 2 x compute, reader), as scripts/local-cluster.sh runs them
run_separate() { # R
  local r=$1 http ma mb run seconds timing started ended rss cpu n roles named
  http=$(free_port)
  roles=(CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines" COMPUTE_PARTITIONS="$partitions" COMPUTE_TOPIC="bench-mp-c-$r"
         RESULTS_TOPIC="bench-mp-r-$r" COMPUTE_GROUP="bench-mp-c-$r" RESULTS_GROUP="bench-mp-r-$r")
  start_role "mp-results-$r" results "$http" "$(free_port)" "${roles[@]}"
  ma=$(free_port); mb=$(free_port)
  start_role "mp-compute-a-$r" compute "$(free_port)" "$ma" "${roles[@]}"
  start_role "mp-compute-b-$r" compute "$(free_port)" "$mb" "${roles[@]}"
  wait_url "http://127.0.0.1:$http/progress" 120
  wait_url "http://127.0.0.1:$ma/observe/health/ready" 120
  wait_url "http://127.0.0.1:$mb/observe/health/ready" 120
  sleep 3 # the compute group settles
  start_role "mp-reader-$r" read "$(free_port)" "$(free_port)" "${roles[@]}" READ_EXIT_WHEN_DONE=false
  named=()
  for n in results compute-a compute-b reader; do named+=("$n=$(pid_of "mp-$n-$r")"); done
  named+=("broker=$broker_pid")
  start_cpu_sampler "${named[@]#*=}"
  run=$(wait_complete_run "$http" "bench-mp-r-$r"); read -r seconds timing started ended <<< "$run"
  rss=""
  for n in results compute-a compute-b reader; do rss="$rss${rss:+, }\"$n\": $(peak_rss_mb "$(pid_of "mp-$n-$r")")"; done
  stop_cpu_sampler; cpu=$(cpu_window "$started" "$ended" "${named[@]}")
  check_results "separate processes run $r" "$http"
  stop_named "mp-reader-$r" "mp-compute-a-$r" "mp-compute-b-$r" "mp-results-$r"
  echo "{\"seconds\": $seconds, \"timing\": \"$timing\", \"counts_checked\": true, \"peak_rss_mb\": {$rss}, \"cpu_seconds\": $cpu, \"jit_cpu_seconds\": $(cat "$WORK/jit-window.json"), \"machine_busy\": $(cat "$WORK/machine-window.json"), \"window_ms\": [$started, $ended]}" >> "$WORK/runs/pipeline_separate.jsonl"
  progress pipeline_separate "$r"
}

# a fresh broker compiles its hot paths during its first loads (its JIT took over a CPU-second inside
# the first measured windows after one round): three unmeasured rounds first
for w in 1 2 3; do
  # shellcheck disable=SC2086
  java "${TOOL_JVM[@]}" -cp "$TOOLS_CP" kafkascale.bench.KafkaCeiling "$BOOTSTRAP" "bench-warm-up-$w" concurrent \
    "$chunk_lines" "$partitions" $file_list > /dev/null 2> "$WORK/logs/warm-up.log"
done
# ... then one unmeasured run of the Streams peer and of `all` (their counts still checked): consumer groups,
# transactions and offset commits are broker paths the ceilings do not take, and the broker's C2 compiler
# spent 0.8-1.0 CPU-seconds inside each of the first `all` runs on a broker warmed by ceilings alone,
# 0.1-0.2 from the sixth on, on the same 2 cores as the run
warm_up() { # MEASUREMENT COMMAND...: the run is left out of MEASUREMENT's runs (so: before any measured run)
  local measurement=$1; shift
  "$@"
  rm -f "$WORK/runs/$measurement.jsonl"
}
for w in $(seq 1 "$warm_up_runs"); do
  if wants streams; then warm_up streams_peer run_streams streams_peer "" "warm-up-$w"; fi
  if wants all || wants separate; then warm_up pipeline_all run_all "warm-up-$w"; fi
done
for r in $(seq 1 "$repeat"); do
  if wants ceiling; then run_ceiling sequential "$r"; run_ceiling concurrent "$r"; fi
  if wants floor; then run_floor "$r"; fi
  if wants streams; then
    run_streams streams_peer "" "$r"
    run_streams streams_peer_same_jvm "$(role_jvm_options all)" "$r"
  fi
  if wants all; then run_all "$r"; fi
  if wants separate; then run_separate "$r"; fi
done
for name in ceiling_sequential ceiling_concurrent cpu_floor streams_peer streams_peer_same_jvm pipeline_all pipeline_separate; do
  if [ -s "$WORK/runs/$name.jsonl" ]; then measured "$name"; fi
done

# --- 6. `all` with its embedded broker: peak RSS (target <= 1 GiB), one run
if wants embedded; then
http=$(free_port); embedded_port=$(free_port)
start_role embedded all "$http" "$(free_port)" KAFKA_BROKERS= EMBEDDED_KAFKA_PORT="$embedded_port" CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines"
pid=$(pid_of embedded)
start_cpu_sampler "$pid"
wait_url "http://127.0.0.1:$http/progress" 120
run=$(BOOTSTRAP="127.0.0.1:$embedded_port" wait_complete_run "$http" results); read -r seconds timing started ended <<< "$run"
rss=$(peak_rss_mb "$pid")
stop_cpu_sampler; cpu=$(cpu_window "$started" "$ended" all_with_broker="$pid")
check_results "all with embedded broker" "$http"
stop_named embedded
echo "{\"seconds\": $seconds, \"timing\": \"$timing\", \"counts_checked\": true, \"peak_rss_mb\": {\"all\": $rss}, \"cpu_seconds\": $cpu, \"machine_busy\": $(cat "$WORK/machine-window.json")}" >> "$WORK/runs/pipeline_all_embedded.jsonl"
measured pipeline_all_embedded

fi

# --- 6b. results memory independent of record count: a results role replays one synthetic month of
# 150,000 records (a real month's size) and of ten times that (the ledger takes up to 2,000,000 a month),
# written as compute writes chunk results, and its live heap after a full collection is weighed once
# it has served the month (counts checked): growth would show in the difference
if wants results-memory; then
for n in 150000 1500000; do
  topic="bench-results-memory-$n"
  java "${TOOL_JVM[@]}" -cp "$FLOOR_CP" kafkascale.bench.ResultsMemory \
    "$BOOTSTRAP" "$topic" "$n" "$chunk_lines" > "$WORK/results-memory-expected.json"
  http=$(free_port)
  start_role "results-memory-$n" results "$http" "$(free_port)" RESULTS_TOPIC="$topic" RESULTS_GROUP="$topic"
  pid=$(pid_of "results-memory-$n")
  wait_complete "http://127.0.0.1:$http/progress" 120
  curl -fsS "http://127.0.0.1:$http/results" > "$WORK/results.json"
  check_counts "results memory, $n records" "$WORK/results.json" "$WORK/results-memory-expected.json"
  # the live objects by class after a full collection (jcmd's histogram collects first); its Total
  # line is the live heap, to the byte (the generations' "used" moved by megabytes between two looks).
  # Weighed twice, 10 s apart, and the smaller taken: right after a replay the heap can still hold up
  # to ~3 MB of int[] that an idle role drops within seconds (round 14), what is kept stays in both
  jcmd "$pid" GC.class_histogram > "$out/results-memory-histogram-$n.txt"
  sleep 10
  jcmd "$pid" GC.class_histogram > "$out/results-memory-histogram-$n-later.txt"
  live_bytes=$(awk '$1 == "Total" {print $3}' "$out/results-memory-histogram-$n.txt" "$out/results-memory-histogram-$n-later.txt" | sort -n | head -1)
  stop_named "results-memory-$n"
  echo "$n $live_bytes" >> "$WORK/results-memory.txt"
  echo "results_memory $n records: live heap $((live_bytes / 1048576)) MB" >&2
done
python3 - "$WORK/results-memory.txt" "$(role_jvm_options results)" <<'PY' | tee -a "$lines"
import json, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
(small, small_b), (large, large_b) = [(int(n), int(b)) for n, b in rows[-2:]]
mb = lambda b: round(b / 1048576, 2)
print(json.dumps({"measurement": "results_memory", "records": [small, large],
                  "live_heap_mb": [mb(small_b), mb(large_b)], "growth_mb": mb(large_b - small_b),
                  "jvm_options": sys.argv[2],
                  "counts_checked": True}))
PY
fi

# --- 7. --profile: one more `all` run on the external broker (not in the medians), profiled with the
# broker over the same run by async-profiler (bench/pom.xml unpacks it from Maven Central): CPU samples of
# every thread, so the JIT compilers, the collector and native code (zlib, lz4, the kernel) show beside
# the Java frames, where JFR's own samples have Java threads only. Recordings in JFR's format.
if [ "$profile" = 1 ]; then
  http=$(free_port)
  profiler="$root/bench/target/async-profiler/linux-$([ "$(uname -m)" = aarch64 ] && echo arm64 || echo x64)/libasyncProfiler.so"
  event=ctimer # each thread's CPU timer; perf_events (kernel frames too) where this user may open them
  if [ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 3)" -le 1 ]; then event=cpu; fi
  profiling() { echo "start,event=$event,interval=1ms,jfr,file=$1"; } # a sample per ms of a thread's CPU
  rm -f "$out/profile-all.jfr" "$out/profile-broker.jfr"
  # jcmd takes key=value words as its own options: the agent's go in quotes
  jcmd "$broker_pid" JVMTI.agent_load "$profiler" "\"$(profiling "$out/profile-broker.jfr")\"" > /dev/null
  ROLE_JVM_OPTS="$(role_jvm_options all) -agentpath:$profiler=$(profiling "$out/profile-all.jfr")" start_role all-profile all "$http" "$(free_port)" \
    CENSUS_FILES="$files" CHUNK_LINES="$chunk_lines" COMPUTE_PARTITIONS="$partitions" COMPUTE_TOPIC=bench-profile-c \
    RESULTS_TOPIC=bench-profile-r COMPUTE_GROUP=bench-profile-c RESULTS_GROUP=bench-profile-r
  wait_url "http://127.0.0.1:$http/progress" 120
  run=$(wait_complete_run "$http" bench-profile-r); read -r seconds timing started ended <<< "$run"
  jcmd "$broker_pid" JVMTI.agent_load "$profiler" '"stop"' > /dev/null
  check_results "profiled all run" "$http"
  stop_named all-profile # the profiler writes its recording as the JVM exits
  for p in all broker; do
    if [ -s "$out/profile-$p.jfr" ]; then
      echo "profile of $p ($event samples in the run's window):" | tee "$out/profile-$p.txt"
      report jfr-top "$out/profile-$p.jfr" "$started" "$ended" 15 "profile_$p" | tee -a "$out/profile-$p.txt"
    else
      echo "no profile of $p: async-profiler did not start (see $out/logs)" >&2
    fi
  done
  echo "profiled run: $seconds s ($timing; profiler on), recordings in target/bench/profile-{all,broker}.jfr" >&2
fi

report summary "$lines" "$machine" "$chunk_lines" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$lines"

[ "$scaling" = 1 ] || exit 0

# --- 8. scaling: COMPUTE_DELAY_MS=10 per chunk, 8 partitions, 1/2/4/8 consumers
scale_records=$((scaling_chunks * chunk_lines))
scale_files=$(java -cp "$JAR" kafkascale.census.SampleGenerator "$WORK/scale" 2020 1 "$scale_records")
# measure TOPIC MGMT_URLS...: chunks per second from the first chunk read to the last, over the compute JVMs' own counters
measure_compute() {
  local topic=$1; shift
  local mgmts=("$@")
  start_role "scale-reader-$topic" read "$(free_port)" "$(free_port)" CENSUS_FILES="$scale_files" CHUNK_LINES="$chunk_lines" \
    COMPUTE_TOPIC="$topic" RESULTS_TOPIC="$topic-r" COMPUTE_PARTITIONS=8
  report compute-rate "$scaling_chunks" "${mgmts[@]}" # one python process polls (round 15: not a curl per JVM)
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
  for m in "${mgmts[@]}"; do wait_url "$m/observe/health/ready" 180; done
  sleep 5 # the group settles: every member has its partitions
  by_process[$n]=$(measure_compute "$topic" "${mgmts[@]}")
  for i in $(seq 1 "$n"); do kill "$(pid_of "scale-p$n-$i")" 2>/dev/null || true; done
  echo "{\"measurement\": \"scaling\", \"mode\": \"processes\", \"consumers\": $n, \"chunks_per_s\": ${by_process[$n]}}"

  topic="bench-scale-t$n"; m=$(free_port)
  start_role "scale-t$n" compute "$(free_port)" "$m" COMPUTE_TOPIC="$topic" RESULTS_TOPIC="$topic-r" \
    COMPUTE_PARTITIONS=8 COMPUTE_DELAY_MS=10 COMPUTE_GROUP="$topic" COMPUTE_CONSUMERS="$n" COMPUTE_MAX_POLL_RECORDS=10
  wait_url "http://127.0.0.1:$m/observe/health/ready" 180
  sleep 5
  by_threads[$n]=$(measure_compute "$topic" "http://127.0.0.1:$m")
  kill "$(pid_of "scale-t$n")" 2>/dev/null || true
  echo "{\"measurement\": \"scaling\", \"mode\": \"consumersCount\", \"consumers\": $n, \"chunks_per_s\": ${by_threads[$n]}}"
done
printf '%-10s %16s %16s %12s\n' consumers "processes c/s" "consumers c/s" "ideal c/s"
for n in 1 2 4 8; do
  printf '%-10s %16s %16s %12s\n' "$n" "${by_process[$n]}" "${by_threads[$n]}" "$(( by_process[1] * n ))"
done
java -cp "$BENCH_JAR" kafkascale.bench.BenchChart "$out/scaling.png" \
  "Compute throughput vs consumers (COMPUTE_DELAY_MS=10, 8 partitions)" \
  "processes=1:${by_process[1]},2:${by_process[2]},4:${by_process[4]},8:${by_process[8]}" \
  "consumersCount=1:${by_threads[1]},2:${by_threads[2]},4:${by_threads[4]},8:${by_threads[8]}"
echo "{\"measurement\": \"scaling_summary\", \"processes_8_over_1\": $(python3 -c "print(round(${by_process[8]} / ${by_process[1]}, 2))"), \"consumersCount_8_over_1\": $(python3 -c "print(round(${by_threads[8]} / ${by_threads[1]}, 2))"), \"target\": 6.4, \"chart\": \"target/bench/scaling.png\"}"
