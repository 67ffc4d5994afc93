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
