# Shared helpers for the scripts in this folder (sourced, not run).

# free_port: a TCP port nothing listens on on 127.0.0.1, below the kernel's ephemeral range (ip_local_port_range). A port
# the kernel picks comes from that range, where an outgoing connection (a Kafka client's, curl's) can take
# it in the seconds before the JVM it is meant for binds it: a role that then fails to start.
free_port() {
  python3 -c '
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError):
    low = 0
for attempt in range(101):
    with socket.socket() as s:
        try:  # the last try, or without a range to stay below: the kernel picks
            s.bind(("127.0.0.1", random.randint(10000, low - 1) if low > 12000 and attempt < 100 else 0))
        except OSError:
            continue
        print(s.getsockname()[1])
        break
'
}

# Waits until a URL answers 200, or fails after $2 seconds.
wait_http() {
  local url=$1 seconds=${2:-60}
  for _ in $(seq 1 $((seconds * 5))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "timed out waiting for $url" >&2
  return 1
}

# Waits until GET $1 (JSON) has "complete": true, or fails after $2 seconds.
wait_complete() {
  local url=$1 seconds=${2:-120}
  for _ in $(seq 1 $((seconds * 2))); do
    curl -fsS "$url" 2>/dev/null | grep -q '"complete":true' && return 0
    sleep 0.5
  done
  echo "timed out waiting for complete at $url" >&2
  return 1
}

# Builds target/kafka-scale.jar unless it is there and newer than the sources.
ensure_jar() {
  local root=$1
  if [ ! -f "$root/target/kafka-scale.jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$root/target/kafka-scale.jar" -print -quit)" ]; then
    (cd "$root" && mvn -B -q package -DskipTests) >&2 # a script's stdout may be data
  fi
}

# cluster_work PREFIX: the work folder of a script that runs a local cluster (WORK, or a new temporary
# one), its logs folder, an empty pid list ($CLUSTER_PIDS_FILE) and an empty $state file
# (cluster.env: what tests and other scripts read about the running cluster)
cluster_work() {
  WORK=${WORK:-$(mktemp -d -t "$1.XXXXXX")}
  mkdir -p "$WORK/logs"
  CLUSTER_PIDS_FILE="$WORK/pids"
  : > "$CLUSTER_PIDS_FILE"
  state="$WORK/cluster.env"
  : > "$state"
}

# --- processes of a local stand-in for the cluster (used by local-cluster.sh, fault-suite.sh, bench.sh)
# Every process started here is recorded in $CLUSTER_PIDS_FILE ("name pid" lines) so that one
# cleanup stops them all.

# start_broker NODE_ID PORT CONTROLLER_PORT VOTERS WORKDIR CLUSTER_ID NODES [EXTRA_LISTENER]
# EXTRA_LISTENER: one more plaintext listener, NAME://HOST:PORT, listened on and advertised as it is
# (the fault suite's network-namespace case reaches the broker through it). BROKER_JVM_OPTS: heap etc.
start_broker() {
  local id=$1 port=$2 cport=$3 voters=$4 work=$5 cluster=$6 nodes=$7 extra=${8:-}
  local dir="$work/broker-$id" rf=$(( nodes >= 3 ? 3 : 1 )) isr=$(( nodes >= 3 ? 2 : 1 ))
  local listeners="PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport" advertised="PLAINTEXT://127.0.0.1:$port"
  local protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [ -n "$extra" ]; then
    listeners="$listeners,$extra"; advertised="$advertised,$extra"; protocols="$protocols,${extra%%:*}:PLAINTEXT"
  fi
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$voters
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=$dir/data
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -cp "$JAR" kafka.tools.StorageTool format -t "$cluster" -c "$dir/server.properties" > "$dir/format.log" 2>&1
  fi
  java ${BROKER_JVM_OPTS:--Xms256m -Xmx512m} -cp "$JAR" kafka.Kafka "$dir/server.properties" > "$work/logs/broker-$id.log" 2>&1 &
  echo "broker-$id $!" >> "$CLUSTER_PIDS_FILE"
  disown $! # a kill -9 on purpose is not news
}

# wait_port PORT SECONDS: until something listens on 127.0.0.1:PORT
wait_port() {
  local port=$1 seconds=${2:-60}
  for _ in $(seq 1 $((seconds * 5))); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listens on 127.0.0.1:$port after ${seconds}s" >&2
  return 1
}

# The JVM options the roles run with here, by role (ROLE_JVM_OPTS, when set, is every role's instead);
# measured in docs/benchmark.md. Every role: the serial collector and a young generation of half the
# heap (NewRatio=1, not a third): chunks in flight outlived the serial collector's small young
# collections and were promoted, ~10 MB each, and one month took 10 young pauses of 30-190 ms; with
# half, 6 and the month 12 % sooner. And the heap in transparent huge pages (the JVM asks for them
# with madvise, which the kernel's "madvise" mode here honours, as "always" does): a fresh JVM's
# first touches of its young generation are page faults, up to 512 times fewer with 2 MB pages; `all`
# ran 14 % and the separate processes 25 % sooner on 14 % and 21 % less CPU, the same peak RSS
# (round 12).
ROLE_JVM_COMMON="-Xmx384m -XX:+UseSerialGC -XX:NewRatio=1 -XX:+UseTransparentHugePages"
# Every role, the reader and `all` too: C1 only. On 2 cores C2 compiling Kafka, Camel and Jackson
# code took over 40 % of a month-long run's CPU, and C1 alone finished one month 30 % and three months
# 20 % sooner with half the CPU. The month's SHA-256 needs no C2: it runs in native code
# (kafkascale.census.Sha256), ten times as fast as the JDK's under C1. Until round 16 the reader and
# `all` let C2 compile past ten times its default thresholds for the digest alone, and paid for it in
# profiled C1 code and its compiling (docs/benchmark.md, rounds 8 and 16). And C1 inlines calls four
# deep, not nine: its compiling is a fifth of `all`'s CPU in a run, building the inlined graphs the
# largest part of that; four deep, `all` took 7 % less time in twelve runs each, sooner in every pair
# of sets (round 17).
ROLE_JVM_C1_ONLY="-XX:TieredStopAtLevel=1 -XX:C1MaxInlineLevel=4"
# The image (Dockerfile, the pom's jib profile) and the Kubernetes manifests set the same in
# JAVA_TOOL_OPTIONS.

# role_jvm_options ROLE: the JVM options ROLE runs with here, the same for every role (ROLE_JVM_OPTS when
# that is set)
role_jvm_options() {
  echo "${ROLE_JVM_OPTS:-$ROLE_JVM_COMMON $ROLE_JVM_C1_ONLY}"
}

# start_role NAME ROLE HTTP_PORT MGMT_PORT [VAR=VALUE ...]: the app jar as one role, in the background
# (inside network namespace $ROLE_NETNS when that is set; a later VAR=VALUE overrides an earlier one)
start_role() {
  local name=$1 role=$2 http=$3 mgmt=$4
  shift 4
  ${ROLE_NETNS:+ip netns exec "$ROLE_NETNS"} \
    env CAMEL_ROLE="$role" HTTP_PORT="$http" MANAGEMENT_PORT="$mgmt" KAFKA_BROKERS="$BOOTSTRAP" "$@" \
    java $(role_jvm_options "$role") -jar "$JAR" > "$WORK/logs/$name.log" 2>&1 &
  echo "$name $!" >> "$CLUSTER_PIDS_FILE"
  disown $!
}

# run_role NAME ROLE SECONDS [VAR=VALUE ...]: the role in the foreground until it exits; answers its exit
# status, or 124 when it still ran after SECONDS (then it is stopped). For the read role's exit status.
run_role() {
  local name=$1 role=$2 seconds=$3 pid
  shift 3
  env CAMEL_ROLE="$role" HTTP_PORT="$(free_port)" MANAGEMENT_PORT="$(free_port)" KAFKA_BROKERS="$BOOTSTRAP" "$@" \
    java $(role_jvm_options "$role") -jar "$JAR" > "$WORK/logs/$name.log" 2>&1 &
  pid=$!
  echo "$name $pid" >> "$CLUSTER_PIDS_FILE"
  for _ in $(seq 1 $((seconds * 5))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name still ran after ${seconds}s; stopped it" >&2
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    return 124
  fi
  wait "$pid"
}

# json_get URL EXPR: EXPR (Python) evaluated with j = the JSON document at URL; prints it (strings
# as they are, anything else as JSON), or nothing when the URL does not answer
json_get() {
  curl -fsS --max-time 10 "$1" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))' "$2" 2>/dev/null || true
}

# ensure_kcat: kcat (Kafka command-line client), installed from Debian when missing
ensure_kcat() {
  command -v kcat >/dev/null && return 0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kcat; } >/dev/null 2>&1 || true
  command -v kcat >/dev/null || { echo "kcat is missing and could not be installed (apt-get install kcat)" >&2; return 1; }
}

# --- a network namespace joined to this host by a veth pair with its own /30, for cutting one
# process off the network and healing it (ip link set down/up on the host end)

# netns_create NAME HOST_ADDR NS_ADDR: namespace NAME, veth NAME"h" (here, HOST_ADDR/30) to NAME"n"
# (in NAME, NS_ADDR/30); NAME at most 14 characters
netns_create() {
  local ns=$1 haddr=$2 naddr=$3
  ip netns add "$ns" &&
  ip link add "${ns}h" type veth peer name "${ns}n" &&
  ip link set "${ns}n" netns "$ns" &&
  ip addr add "$haddr/30" dev "${ns}h" && ip link set "${ns}h" up &&
  ip netns exec "$ns" ip addr add "$naddr/30" dev "${ns}n" &&
  ip netns exec "$ns" ip link set "${ns}n" up &&
  ip netns exec "$ns" ip link set lo up
}

# netns_delete NAME: the namespace and its veth pair (quietly, also a half-made one)
netns_delete() {
  ip link del "${1}h" 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
}

# pid_of NAME: the last pid recorded for NAME
pid_of() {
  awk -v n="$1" '$1 == n {p = $2} END {print p}' "$CLUSTER_PIDS_FILE"
}

# our_process PID: PID still runs our jar or census-http.py (pids are reused: 32768 of them on a busy machine)
our_process() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -e "$JAR" -e census-http.py
}

# stop_all: every process recorded in $CLUSTER_PIDS_FILE that still runs ours, politely, then by force
stop_all() {
  [ -f "${CLUSTER_PIDS_FILE:-}" ] || return 0
  local pids="" p
  for p in $(awk '{print $2}' "$CLUSTER_PIDS_FILE"); do
    if our_process "$p"; then pids="$pids $p"; fi
  done
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 100); do
    local alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  kill -9 $pids 2>/dev/null || true
  wait 2>/dev/null || true
}
