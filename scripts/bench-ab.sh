#!/usr/bin/env bash
# One lever measured as docs/benchmark.md's rounds measure them: variants of the pipeline taken in
# interleaved sets (A B B A ...), each set one run of scripts/bench.sh, so that the machine's drift
# over the minutes (a fixed loop's CPU time here moves by up to 1.7 x between minutes) falls on every
# variant alike; then per variant the median of all its runs, the median of each set, and in how many
# blocks of the order (A B, B A, ...: one set of each variant) it was sooner than A.
#
#   scripts/bench-ab.sh [--order ORDER] [--bench "ARGS"] [A='VAR=VALUE ...'] B='VAR=VALUE ...' [C='...' ...]
#
#   ORDER     the sets in turn, one letter a set (default ABBAABBA for two variants, ABCCBAABC for three);
#             every block of as many sets as there are variants holds each variant once
#   --bench   scripts/bench.sh's arguments (default: --only ceiling,all --repeat 3)
#   a variant is environment for scripts/bench.sh, e.g. B='COMPUTE_CONSUMERS=1' or
#             B='ROLE_JVM_OPTS="-Xmx384m ... -XX:C1MaxInlineLevel=2"' (A, unless given, is the shipped settings);
#             DIR=PATH runs the bench of another checkout (a git worktree holding a code change)
#
# Logs: target/bench-ab/SET-VARIANT.log (each bench's own output); the summary: a JSON line a variant.
# The ceiling, the same whatever the variant, gets a "sooner than A" too: the count chance gives.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
order="" bench_args="--only ceiling,all --repeat 3"
declare -A spec
while [ $# -gt 0 ]; do
  case $1 in
    --order) order=$2; shift 2 ;;
    --bench) bench_args=$2; shift 2 ;;
    [A-Z]=*) spec[${1%%=*}]=${1#*=}; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "${spec[A]+set}" ] || spec[A]="" # A: the shipped settings unless given
variants=$(printf '%s\n' "${!spec[@]}" | sort | tr -d '\n')
[ "${#variants}" -ge 2 ] || { echo "give at least one variant besides A" >&2; exit 2; }
if [ -z "$order" ]; then
  case ${#variants} in 2) order=ABBAABBA ;; 3) order=ABCCBAABC ;; *) order=$variants$(echo "$variants" | rev) ;; esac
fi
out="$root/target/bench-ab"; rm -rf "$out"; mkdir -p "$out"
python3 "$root/scripts/bench_report.py" ab-check "$order" "$variants" # every block holds each variant once
n=0
for v in $(echo "$order" | grep -o .); do
  n=$((n + 1))
  s=${spec[$v]} dir=$root
  if [[ $s == DIR=* ]]; then # DIR=PATH first, then any environment
    dir=${s%% *}; dir=${dir#DIR=}
    if [[ $s == *" "* ]]; then s=${s#* }; else s=""; fi
  fi
  echo "set $n of ${#order}: $v ($([ "$dir" = "$root" ] || echo "$dir ")${s:-shipped settings})" >&2
  # shellcheck disable=SC2086 # bench_args are words; a variant's environment is the user's own quoting
  (cd "$dir" && eval "env $s bash scripts/bench.sh $bench_args") > "$out/$n-$v.log" 2>&1 \
    || { echo "set $n ($v) failed: $out/$n-$v.log" >&2; exit 1; }
done
python3 "$root/scripts/bench_report.py" ab-summary "$out" "$order" | tee "$out/summary.jsonl"
