#!/usr/bin/env python3
"""Helpers of scripts/bench.sh: count checks, medians and JSON lines, the summary, JFR top frames.

  bench_report.py check ORACLE.json COUNTS.json           exit 1 (and say why) unless the counts are equal;
                                                          COUNTS is /results ({year: {code: {Count}}}) or
                                                          oracle-shaped ({year: {code: n}})
  bench_report.py measurement NAME RUNS.jsonl RECORDS UNPACKED_BYTES GZ_BYTES
                                                          one JSON line: the median run by seconds
  bench_report.py summary LINES.jsonl MACHINE CHUNK_LINES LOAD_BEFORE LOAD_AFTER
  bench_report.py jfr-top RECORDING.jfr START_MS END_MS [TOP]
  bench_report.py cpu-sampler OUT PID...                  every 50 ms, "epoch_ms pid cpu_seconds" lines, until killed
  bench_report.py cpu-window OUT START_MS END_MS NAME=PID...
                                                          {"NAME": CPU seconds between START_MS and END_MS}
  bench_report.py machine-window OUT START_MS END_MS       the share of the machine's cores busy in the window
                                                          (any process: what no process of a measurement used
                                                          shows as the difference to its cpu_seconds)
  bench_report.py compute-rate TARGET MGMT_URL...          chunks/s the compute JVMs read, first chunk to TARGET
  bench_report.py wait-url URL SECONDS [complete]         polls URL every 0.1 s until it answers 2xx (with
                                                          "complete": true in its JSON too, then printed,
                                                          polled every 0.5 s);
                                                          exit 1 after SECONDS
  bench_report.py ab-check ORDER VARIANTS                 exit 2 unless ORDER is blocks of one set a variant
  bench_report.py ab-summary LOG_DIR ORDER                bench-ab.sh's JSON line a variant (its runs' median,
                                                          each set's, sets sooner than A's in their block)
"""
import http.client
import json
import re
import subprocess
import sys
import time
import urllib.request
from collections import Counter


def counts_of(doc):
    """{year: {code: n}} from either shape, codes with 0 dropped."""
    out = {}
    for year, codes in doc.items():
        for code, value in codes.items():
            n = value["Count"] if isinstance(value, dict) else value
            if n:
                out.setdefault(str(year), {})[str(code)] = int(n)
    return out


def check(oracle_file, counts_file):
    with open(oracle_file) as f:
        expected = counts_of(json.load(f))
    with open(counts_file) as f:
        actual = counts_of(json.load(f))
    if expected != actual:
        diff = []
        for year in sorted(set(expected) | set(actual)):
            e, a = expected.get(year, {}), actual.get(year, {})
            for code in sorted(set(e) | set(a), key=int):
                if e.get(code, 0) != a.get(code, 0):
                    diff.append(f"{year} code {code}: expected {e.get(code, 0)}, got {a.get(code, 0)}")
        print("counts differ from the independent count: " + "; ".join(diff), file=sys.stderr)
        return 1
    return 0


def measurement(name, runs_file, records, unpacked, gz):
    with open(runs_file) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    ordered = sorted(runs, key=lambda r: r["seconds"])
    median = ordered[(len(ordered) - 1) // 2]
    seconds = median["seconds"]
    line = {"measurement": name, "records": int(records), "unpacked_bytes": int(unpacked), "gzip_bytes": int(gz),
            "seconds": round(seconds, 3), "records_per_s": round(int(records) / seconds),
            "mb_per_s": round(int(unpacked) / seconds / 1e6, 2),
            "runs": [round(r["seconds"], 3) for r in runs]}
    if all("seconds_from_launch" in r for r in runs):  # `all`: from the JVM's launch to complete, run by run
        line["runs_from_launch"] = [r["seconds_from_launch"] for r in runs]
    for key, value in median.items():
        if key != "seconds":
            line[key] = value
    print(json.dumps(line))


def measurement_lines(path):
    """{measurement: its line} of the measurement lines in PATH (bench.sh's lines, or a bench's whole output)."""
    with open(path) as f:
        measured = (json.loads(raw) for raw in f if raw.startswith('{"measurement"'))
        return {line["measurement"]: line for line in measured}


def summary(lines_file, machine, chunk_lines, load_before, load_after):
    by_name = measurement_lines(lines_file)
    s = lambda name: by_name[name]["seconds"] if name in by_name else None
    ratio = lambda faster, slower: round(s(faster) / s(slower), 3) if s(faster) and s(slower) else None

    def paired(faster, slower):
        """The median of the ratios of runs made in the same repetition (bench.sh takes every
        measurement in turn per repetition): the drift of a machine over a bench falls on both sides."""
        if faster not in by_name or slower not in by_name:
            return None
        pairs = sorted(f / w for f, w in zip(by_name[faster]["runs"], by_name[slower]["runs"]) if w)
        return round(pairs[(len(pairs) - 1) // 2], 3) if pairs else None
    timed = {name: line for name, line in by_name.items() if "seconds" in line}  # results_memory weighs, not times
    any_line = next(iter(timed.values()), {})
    out = {
        "summary": True, "records": any_line.get("records"), "unpacked_bytes": any_line.get("unpacked_bytes"),
        "chunk_lines": int(chunk_lines), "machine": machine, "load_average_before": load_before,
        "load_average_after": load_after,
        "seconds": {name: line["seconds"] for name, line in timed.items()},
        "mb_per_s": {name: line["mb_per_s"] for name, line in timed.items()},
        # CPU-seconds of every process in the measured window (client or app JVMs and the broker):
        # the work per byte, which a machine shared with other load distorts less than seconds
        "cpu_seconds_total": {name: round(sum(line["cpu_seconds"].values()), 2)
                              for name, line in by_name.items() if "cpu_seconds" in line},
        # of those, the JIT compilers' (per process): a broker still compiling for a measurement's paths
        # (consumer groups, transactions, the results topic) charges it CPU the warm ceiling paths do not pay
        "jit_cpu_seconds": {name: line["jit_cpu_seconds"] for name, line in by_name.items() if "jit_cpu_seconds" in line},
        # the share of the machine's cores busy in each median run's window, by any process
        "machine_busy": {name: line["machine_busy"] for name, line in by_name.items() if "machine_busy" in line},
        # throughput ratios over the same bytes in the same run: > 1 means the pipeline is faster
        "pipeline_over_ceiling": ratio("ceiling_sequential", "pipeline_all"),
        "pipeline_over_concurrent_ceiling": ratio("ceiling_concurrent", "pipeline_all"),
        "pipeline_over_streams": ratio("streams_peer", "pipeline_all"),
        # the Streams app on the roles' own JVM options (JIT and GC): the design compared, not the flags
        "pipeline_over_streams_same_jvm": ratio("streams_peer_same_jvm", "pipeline_all"),
        "separate_over_ceiling": ratio("ceiling_sequential", "pipeline_separate"),
        "pipeline_over_floor": ratio("cpu_floor", "pipeline_all"),
        # the same ratios, repetition by repetition (their median): less moved by drift between measurements
        "paired": {
            "pipeline_over_ceiling": paired("ceiling_sequential", "pipeline_all"),
            "pipeline_over_concurrent_ceiling": paired("ceiling_concurrent", "pipeline_all"),
            "pipeline_over_streams": paired("streams_peer", "pipeline_all"),
            "pipeline_over_streams_same_jvm": paired("streams_peer_same_jvm", "pipeline_all"),
            "separate_over_ceiling": paired("ceiling_sequential", "pipeline_separate"),
        },
        "pipeline_cpu_over_streams_cpu": None,
        "all_embedded_peak_rss_mb": by_name.get("pipeline_all_embedded", {}).get("peak_rss_mb", {}).get("all"),
        "pipeline_timing": by_name.get("pipeline_all", {}).get("timing"),
        # the results role's live heap after replaying one month of N records, and of 10 x N
        "results_live_heap_mb": by_name.get("results_memory", {}).get("live_heap_mb"),
    }
    cpu = out["cpu_seconds_total"]
    if cpu.get("pipeline_all") and cpu.get("streams_peer"):
        out["pipeline_cpu_over_streams_cpu"] = round(cpu["pipeline_all"] / cpu["streams_peer"], 2)
    targets = {
        "pipeline_over_ceiling >= 0.6": out["pipeline_over_ceiling"] is not None and out["pipeline_over_ceiling"] >= 0.6,
        "pipeline_over_streams >= 1.5": out["pipeline_over_streams"] is not None and out["pipeline_over_streams"] >= 1.5,
        "pipeline_over_streams_same_jvm >= 1.5": out["pipeline_over_streams_same_jvm"] is not None
                                                 and out["pipeline_over_streams_same_jvm"] >= 1.5,
        "separate_over_ceiling >= 0.4": out["separate_over_ceiling"] is not None and out["separate_over_ceiling"] >= 0.4,
        "all_embedded_peak_rss_mb <= 1024": out["all_embedded_peak_rss_mb"] is not None
                                            and out["all_embedded_peak_rss_mb"] <= 1024,
        # independent of record count: ten times the records leave the live heap within 1 MB
        "results_live_heap_growth_mb <= 1": "results_memory" in by_name
                                            and by_name["results_memory"]["growth_mb"] <= 1,
    }
    out["targets_met"] = targets
    print(json.dumps(out))


SAMPLE_TIME = re.compile(r"startTime = (\d\d):(\d\d):(\d\d)\.(\d{3})")
THREAD = re.compile(r'sampledThread = "([^"]*)"')


# a compiler's own frames: a compiler thread that ended before the recording did (the JVM starts and
# stops them as the queue of compiles grows and shrinks) has no name in it, only "[tid=N]"
COMPILER_FRAME = re.compile(r"libjvm\.so\.(CompileBroker|Compilation|Compiler|C2Compiler|Compile|GraphBuilder|LinearScan"
                            r"|LIR_\w+|PhaseChaitin|PhaseIdealLoop|PhaseIterGVN|ciEnv|ciMethod)::")


def thread_group(thread):
    """The JVM's own work apart from the program's: its JIT compilers, its collector, the rest."""
    if "CompilerThre" in thread:  # C1 CompilerThread0, C2 CompilerThread1 (Linux cuts names at 15 characters)
        return "JIT compilers"
    if thread in ("VM Thread", "VM Periodic Task Thread") or thread.startswith(("GC Thread", "G1 ")):
        return "collector and safepoints (VM Thread, GC threads)"
    return "the program's threads"


def jfr_top(recording, start_ms, end_ms, top=15):
    """Execution samples between START_MS and END_MS (epoch ms), by top frame, first app frame, thread and package."""
    text = subprocess.run(["jfr", "print", "--stack-depth", "40", "--events", "jdk.ExecutionSample", recording],
                          check=True, capture_output=True, text=True).stdout
    day = lambda ms: ms % 86_400_000  # jfr prints the time of day (UTC here), not the date
    lo, hi = day(int(start_ms)), day(int(end_ms))
    inside = (lambda t: lo <= t <= hi) if lo <= hi else (lambda t: t >= lo or t <= hi)
    offset_ms = -time.timezone * 1000 if not time.daylight else -time.altzone * 1000
    frames, app_frames, threads, packages, groups = Counter(), Counter(), Counter(), Counter(), Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample {")[1:]:
        m = SAMPLE_TIME.search(event)
        if not m:
            continue
        h, mi, sec, ms = map(int, m.groups())
        t = (((h * 60 + mi) * 60 + sec) * 1000 + ms - offset_ms) % 86_400_000
        if not inside(t):
            continue
        stack = [line.strip() for line in event.split("stackTrace = [", 1)[1].split("]", 1)[0].splitlines()
                 if line.strip() and line.strip() != "..."]
        if not stack:
            continue
        total += 1
        # native frames have no class (".name"); lz4-java unpacks its library under a random number
        method = lambda f: re.sub(r"-\d{6,}(\.so)", r"\1", re.sub(r"\(.*", "", f)).lstrip(".")
        frames[method(stack[0])] += 1
        packages[".".join(method(stack[0]).split(".")[:3])] += 1
        app = next((method(f) for f in stack if f.startswith(("kafkascale.", "routes."))), "(no app frame in 40)")
        app_frames[app] += 1
        tm = THREAD.search(event)
        thread = re.sub(r"\d+", "N", tm.group(1)) if tm else "?"
        if thread.startswith("[tid=") and any(COMPILER_FRAME.match(f) for f in stack):
            thread = "CN CompilerThre (ended before the recording)"
        threads[thread] += 1
        groups[thread_group(thread)] += 1
    result = {"profile_samples": total, "window_ms": [int(start_ms), int(end_ms)]}
    for name, counter in (("top_frames", frames), ("top_app_frames", app_frames), ("top_packages", packages),
                          ("threads", threads), ("thread_groups", groups)):
        result[name] = [{"frame": k, "samples": n, "share": round(n / total, 3)} for k, n in counter.most_common(top)] \
            if total else []
    return result


def cpu_of(pid, ticks):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def machine_busy(ticks):
    """CPU seconds every core of the machine has been busy so far (all but idle and iowait, /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / ticks


def cpu_sampler(out, pids):
    """CPU seconds of each process over time, so that a run's share can be cut out of a JVM's whole life;
    every 0.1 s also of its JIT compiler threads (the ceilings' windows are under a second)."""
    import os
    ticks = os.sysconf("SC_CLK_TCK")
    jit = {pid: JitThreads(pid, ticks) for pid in pids}
    with open(out, "a", buffering=1) as f:
        alive = True
        rounds = 0
        while alive:  # until killed, or every process is gone
            now = int(time.time() * 1000)
            alive = False
            f.write(f"{now} machine {machine_busy(ticks):.2f}\n")
            for pid in pids:
                try:
                    f.write(f"{now} {pid} {cpu_of(pid, ticks):.2f}\n")
                    if rounds % 2 == 0:
                        f.write(f"{now} {pid}:jit {jit[pid].cpu(rescan=rounds % 10 == 0):.2f}\n")
                    alive = True
                except OSError:
                    pass
            rounds += 1
            time.sleep(0.05)


class JitThreads:
    """CPU seconds of a JVM's JIT compiler threads (C1 and C2 CompilerThreadN) so far. Listing every
    thread is too costly to do every 0.1 s, so the compiler threads are looked for every 0.5 s (the JVM
    starts and ends some as its queue grows and shrinks); one that has ended keeps its last figure."""

    def __init__(self, pid, ticks):
        self.pid, self.ticks, self.last = pid, ticks, {}

    def cpu(self, rescan):
        import os
        if rescan or not self.last:
            for tid in os.listdir(f"/proc/{self.pid}/task"):
                if tid not in self.last and self._stat(tid, compilers_only=True) is not None:
                    self.last[tid] = 0
        for tid in list(self.last):
            ticks = self._stat(tid)
            if ticks is not None:
                self.last[tid] = ticks
        return sum(self.last.values()) / self.ticks

    def _stat(self, tid, compilers_only=False):
        try:
            with open(f"/proc/{self.pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            return None
        if compilers_only and "CompilerThre" not in stat[stat.index("(") + 1:stat.rindex(")")]:
            return None
        fields = stat[stat.rindex(")") + 2:].split()
        return int(fields[11]) + int(fields[12])


def cpu_window(out, start_ms, end_ms, named, jit=False):
    """CPU seconds each process spent between two instants: the last samples at or before each. With
    jit: of its JIT compiler threads only (sampled every 0.1 s)."""
    samples = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                samples.setdefault(parts[1], []).append((int(parts[0]), float(parts[2])))
    result = {}
    for item in named:
        name, pid = item.split("=", 1)
        series = samples.get(pid + (":jit" if jit else ""), [])
        at = lambda t: max((c for ms, c in series if ms <= t), default=series[0][1] if series else 0.0)
        result[name] = round(at(int(end_ms)) - at(int(start_ms)), 2)
    return result


def http_text(url):
    """URL's body, or None when it does not answer 2xx in full yet (refused, 503 while starting, cut short)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except (OSError, ValueError, http.client.HTTPException):
        return None


def is_complete(body):
    """/progress's own top-level "complete" (a body cut short or not JSON is not)."""
    try:
        return json.loads(body).get("complete") is True
    except ValueError:
        return False


def wait_url(url, seconds, complete=False):
    """Polls URL from this one process (about 1 ms of CPU a poll) until it answers, or its JSON says complete.

    A shell loop of curl and grep cost about 40 ms of CPU a poll here: every 0.1 s, a third of a core
    taken from the pipeline it was timing (round 15), which the ceilings and the Streams peer, timed
    in their own process, never paid. Each answer costs the app too: a fresh `all` JVM's HTTP server
    took 2.9 % of its CPU in a run's window (about 3 ms a poll; round 16's and 17's profiles). A run's
    time comes from /progress's own clocks (runStartedAt, completedAt), not from when the bench saw it
    complete, so waiting for complete polls every 0.5 s: a fifth of that cost, the same figures."""
    interval = 0.5 if complete else 0.1
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        body = http_text(url)
        if body is not None and not complete:
            return 0
        if body is not None and is_complete(body):
            print(body)
            return 0
        time.sleep(interval)
    print(f"timed out after {seconds} s waiting for {url}" + (" to be complete" if complete else ""), file=sys.stderr)
    return 1


def compute_rate(target, urls, seconds=600):
    """Chunks per second the compute JVMs at URLS (management bases) read, from the first chunk any of them
    read until their counters together reach TARGET; 0 when they do not within SECONDS. Polls every
    50 ms from this one process (a curl per JVM per poll kept about a core of the two busy with eight JVMs)."""
    target, start, deadline = int(target), None, time.monotonic() + seconds
    while time.monotonic() < deadline:
        total = 0
        for url in urls:  # one not answering this time is counted at the next poll
            for line in (http_text(url + "/observe/metrics") or "").splitlines():
                if line.startswith("kafka_scale_compute_messages_read_total"):
                    total += int(float(line.split()[-1]))
        if start is None and total > 0:
            start = time.monotonic()
        if total >= target:
            return round(target / max(time.monotonic() - start, 1e-3))
        time.sleep(0.05)
    return 0


def ab_check(order, variants):
    """exit 2 unless ORDER is blocks of one set of each variant (A B, B A, ...)."""
    k = len(variants)
    blocks = [order[i:i + k] for i in range(0, len(order), k)]
    bad = [b for b in blocks if sorted(b) != sorted(variants)]
    if bad:
        print(f"order {order}: each block of {k} sets holds every variant of {variants} once; not {', '.join(bad)}",
              file=sys.stderr)
        return 2
    return 0


def ab_summary(log_dir, order):
    """A JSON line a variant of a bench-ab.sh run: per measurement the median of all its runs, each set's
    median, and (not for A) in how many blocks of the order its set was sooner than A's."""
    import os
    import statistics
    sets = []  # (variant, {measurement: its median line in that set})
    for n, variant in enumerate(order, 1):
        sets.append((variant, measurement_lines(os.path.join(log_dir, f"{n}-{variant}.log"))))
    k = len(set(order))
    blocks = [dict(sets[i:i + k]) for i in range(0, len(sets), k)]
    names = [m for m in ("pipeline_all", "pipeline_separate", "ceiling_sequential", "streams_peer")
             if any(m in lines for _, lines in sets)]
    for variant in sorted(set(order)):
        row = {"variant": variant, "sets": order.count(variant)}
        for name in names:
            mine = [lines[name] for v, lines in sets if v == variant and name in lines]
            runs = [r for line in mine for r in line["runs"]]
            entry = {"median": round(statistics.median(runs), 3), "runs": len(runs),
                     "set_medians": [line["seconds"] for line in mine]}
            for key in ("cpu_seconds", "jit_cpu_seconds"):
                if key in mine[0]:
                    entry[key] = [line[key] for line in mine]
            if variant != "A":
                pairs = [(b[variant][name]["seconds"], b["A"][name]["seconds"]) for b in blocks
                         if name in b[variant] and name in b["A"]]
                entry["sooner_than_A"] = f"{sum(mine_s < a_s for mine_s, a_s in pairs)} of {len(pairs)} blocks"
            row[name] = entry
        print(json.dumps(row))


def main(argv):
    command = argv[1]
    if command == "check":
        return check(argv[2], argv[3])
    if command == "measurement":
        measurement(*argv[2:7])
        return 0
    if command == "summary":
        summary(*argv[2:7])
        return 0
    if command == "jfr-top":  # RECORDING START_MS END_MS [TOP [NAME]]
        result = jfr_top(argv[2], argv[3], argv[4], int(argv[5]) if len(argv) > 5 else 15)
        print(json.dumps({"measurement": argv[6] if len(argv) > 6 else "profile_all", **result}))
        for section in ("thread_groups", "top_frames", "top_app_frames", "top_packages", "threads"):
            print(f"  {section}:")
            for row in result[section]:
                print(f"    {row['share'] * 100:5.1f} %  {row['frame']}")
        return 0
    if command == "cpu-sampler":
        cpu_sampler(argv[2], argv[3:])
        return 0
    if command == "cpu-window":
        print(json.dumps(cpu_window(argv[2], argv[3], argv[4], argv[5:])))
        return 0
    if command == "compute-rate":  # TARGET MGMT_URL...
        print(compute_rate(argv[2], argv[3:]))
        return 0
    if command == "wait-url":  # URL SECONDS [complete]
        return wait_url(argv[2], argv[3], len(argv) > 4 and argv[4] == "complete")
    if command == "machine-window":  # OUT START_MS END_MS: the share of all cores busy in the window
        import os
        busy = cpu_window(argv[2], argv[3], argv[4], ["busy=machine"])["busy"]
        print(round(busy / ((int(argv[4]) - int(argv[3])) / 1000 * os.cpu_count()), 3))
        return 0
    if command == "ab-check":  # ORDER VARIANTS
        return ab_check(argv[2], argv[3])
    if command == "ab-summary":  # LOG_DIR ORDER
        ab_summary(argv[2], argv[3])
        return 0
    if command == "jit-window":
        print(json.dumps(cpu_window(argv[2], argv[3], argv[4], argv[5:], jit=True)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
