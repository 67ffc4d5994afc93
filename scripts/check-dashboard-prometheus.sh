#!/usr/bin/env bash
# Proves the Grafana dashboard shows real data: runs `all` on 127.0.0.1, points a real Prometheus
# (Debian's package, installed here if missing) at its /observe/metrics, and evaluates every panel
# query of dashboards/kafka-scale.json through Prometheus' HTTP API. Each must return data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

if ! command -v prometheus >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  else
    echo "prometheus is not installed (apt-get install prometheus)" >&2; exit 1
  fi
fi
ensure_jar "$root"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

http_port=$(free_port); mgmt_port=$(free_port); prom_port=$(free_port)
CAMEL_ROLE=all EMBEDDED_KAFKA_PORT=0 HTTP_PORT=$http_port MANAGEMENT_PORT=$mgmt_port \
  SAMPLE_DIR="$work/sample" SAMPLE_RECORDS_PER_MONTH=20000 COMPUTE_DELAY_MS=1 \
  java -Xmx512m -jar "$root/target/kafka-scale.jar" > "$work/app.log" 2>&1 &
pids+=($!)

cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: kafka-scale
    metrics_path: /observe/metrics
    static_configs:
      - targets: ['127.0.0.1:$mgmt_port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)

wait_http "http://127.0.0.1:$mgmt_port/observe/health/live" 120 || { tail -50 "$work/app.log"; exit 1; }
wait_http "http://127.0.0.1:$prom_port/-/ready" 60
wait_complete "http://127.0.0.1:$http_port/progress" 180 || { tail -50 "$work/app.log"; exit 1; }
sleep 5 # a few more scrapes after the run

python3 - "$root/dashboards/kafka-scale.json" "http://127.0.0.1:$prom_port" <<'PY'
import json, sys, urllib.parse, urllib.request
dashboard, prom = json.load(open(sys.argv[1])), sys.argv[2]
failed = 0
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        # the dashboard's variables as Grafana fills them; this Prometheus adds no namespace label
        expr = (target["expr"].replace("$__rate_interval", "30s").replace("$compute_topic", "compute")
                .replace("$compute_group", "kafka-scale-compute").replace("$namespace", "").replace("$job", "kafka-scale"))
        url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        answer = json.load(urllib.request.urlopen(url, timeout=10))
        series = answer["data"]["result"] if answer.get("status") == "success" else []
        ok = len(series) > 0
        failed += not ok
        sample = series[0]["value"][1] if ok else "-"
        print(f"{'ok  ' if ok else 'FAIL'} {panel['title']} | {target['legendFormat']}: {len(series)} series, e.g. {sample}")
print(f"dashboard: {sum(len(p['targets']) for p in dashboard['panels']) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
