# Shared helpers for the scripts in this folder (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
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
    (cd "$root" && mvn -B -q package -DskipTests)
  fi
}

# --- processes of a local stand-in for the cluster (used by local-cluster.sh, fault-suite.sh, bench.sh)
# Every process started here is recorded in $CLUSTER_PIDS_FILE ("name pid" lines) so that one
# cleanup stops them all.

# start_broker NODE_ID PORT CONTROLLER_PORT VOTERS WORKDIR CLUSTER_ID NODES
start_broker() {
  local id=$1 port=$2 cport=$3 voters=$4 work=$5 cluster=$6 nodes=$7
  local dir="$work/broker-$id" rf=$(( nodes >= 3 ? 3 : 1 )) isr=$(( nodes >= 3 ? 2 : 1 ))
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
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
  java -Xms256m -Xmx512m -cp "$JAR" kafka.Kafka "$dir/server.properties" > "$work/logs/broker-$id.log" 2>&1 &
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

# start_role NAME ROLE HTTP_PORT MGMT_PORT [VAR=VALUE ...]: the app jar as one role, in the background
start_role() {
  local name=$1 role=$2 http=$3 mgmt=$4
  shift 4
  env CAMEL_ROLE="$role" HTTP_PORT="$http" MANAGEMENT_PORT="$mgmt" KAFKA_BROKERS="$BOOTSTRAP" "$@" \
    java ${ROLE_JVM_OPTS:--Xmx384m} -jar "$JAR" > "$WORK/logs/$name.log" 2>&1 &
  echo "$name $!" >> "$CLUSTER_PIDS_FILE"
  disown $!
}

# pid_of NAME: the last pid recorded for NAME
pid_of() {
  awk -v n="$1" '$1 == n {p = $2} END {print p}' "$CLUSTER_PIDS_FILE"
}

# stop_all: every process recorded in $CLUSTER_PIDS_FILE, politely, then by force
stop_all() {
  [ -f "${CLUSTER_PIDS_FILE:-}" ] || return 0
  local pids
  pids=$(awk '{print $2}' "$CLUSTER_PIDS_FILE")
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
