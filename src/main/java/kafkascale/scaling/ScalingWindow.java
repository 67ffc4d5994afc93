package kafkascale.scaling;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kafkascale.scaling.GroupSnapshot.Member;

/**
 * The last few minutes of the compute group, in memory: the samples fed in, the rates derived from
 * them and the membership changes between them. Bounded by time and by count, so a run of any
 * length holds at most {@link #maxSamples()} samples and {@link #MAX_EVENTS} events.
 *
 * <p>Rates are chunks per second: the growth of committed offsets (one offset is one chunk) over
 * the last {@code rateSpan}. A member's rate counts only the partitions it owns and only since it
 * got them, so a rebalance does not credit it with another member's work.
 */
public final class ScalingWindow {

    /** Membership changes kept, at most (older ones also leave with the window). */
    public static final int MAX_EVENTS = 200;
    /** Samples kept, at most, whatever the window and interval say. */
    static final int SAMPLES_CEILING = 20_000;

    private final long lengthMs;
    private final long sampleIntervalMs;
    private final long rateSpanMs;
    private final int maxSamples;

    private final ArrayDeque<Stored> samples = new ArrayDeque<>();
    private final ArrayDeque<ScalingView.Event> events = new ArrayDeque<>();
    /** Label of every member of the latest answered sample, by member id. */
    private final Map<String, String> labels = new HashMap<>();
    /** Member id to partitions at the latest settled sample; null before the first one. */
    private Map<String, List<Integer>> lastSettled;
    private Map<String, String> lastSettledLabels = Map.of();

    /** A sample with what was derived from it when it came in. */
    private record Stored(GroupSnapshot snapshot, Double rate, List<ScalingView.Member> members) {
    }

    /**
     * @param length         how far back the window reaches (e.g. 15 minutes)
     * @param sampleInterval how often samples are expected (bounds the count, shown to the page)
     * @param rateSpan       over how long a rate is measured (a few sample intervals smooth out batch commits)
     */
    public ScalingWindow(Duration length, Duration sampleInterval, Duration rateSpan) {
        if (length.toMillis() <= 0 || sampleInterval.toMillis() <= 0 || rateSpan.toMillis() <= 0) {
            throw new IllegalArgumentException("window length, sample interval and rate span must be positive");
        }
        this.lengthMs = length.toMillis();
        this.sampleIntervalMs = sampleInterval.toMillis();
        this.rateSpanMs = rateSpan.toMillis();
        long expected = 2 * ((lengthMs + sampleIntervalMs - 1) / sampleIntervalMs) + 4; // room for a timer running early
        this.maxSamples = (int) Math.min(SAMPLES_CEILING, expected);
    }

    public int maxSamples() {
        return maxSamples;
    }

    /** Adds a sample (samples come in time order), derives its rates and membership change, drops what is too old. */
    public synchronized void add(GroupSnapshot snapshot) {
        if (!samples.isEmpty() && snapshot.at() < samples.peekLast().snapshot().at()) {
            throw new IllegalArgumentException("samples must come in time order");
        }
        if (!snapshot.available()) {
            samples.addLast(new Stored(snapshot, null, List.of()));
        } else {
            assignLabels(snapshot.members());
            List<ScalingView.Member> members = new ArrayList<>();
            for (Member m : snapshot.members()) {
                members.add(new ScalingView.Member(labels.get(m.memberId()), m.memberId(), m.clientId(), m.host(),
                        m.partitions(), memberRate(snapshot, m)));
            }
            members.sort(Comparator.comparing(ScalingView.Member::label));
            samples.addLast(new Stored(snapshot, groupRate(snapshot), List.copyOf(members)));
            if (snapshot.settled()) {
                noteMembership(snapshot);
            }
        }
        long oldest = snapshot.at() - lengthMs;
        while (!samples.isEmpty() && (samples.size() > maxSamples || samples.peekFirst().snapshot().at() < oldest)) {
            samples.removeFirst();
        }
        while (!events.isEmpty() && (events.size() > MAX_EVENTS || events.peekFirst().at() < oldest)) {
            events.removeFirst();
        }
    }

    public synchronized ScalingView view(String topic, String group, long now) {
        List<ScalingView.Point> points = new ArrayList<>(samples.size());
        Stored latestAnswered = null;
        for (Stored s : samples) {
            GroupSnapshot g = s.snapshot();
            if (g.available()) {
                latestAnswered = s;
                points.add(new ScalingView.Point(g.at(), true, g.state(), g.members().size(), s.rate(), g.lag()));
            } else {
                points.add(new ScalingView.Point(g.at(), false, null, null, null, null));
            }
        }
        GroupSnapshot last = samples.isEmpty() ? null : samples.peekLast().snapshot();
        ScalingView.Current current = null;
        if (latestAnswered != null) {
            GroupSnapshot g = latestAnswered.snapshot();
            current = new ScalingView.Current(g.at(), !last.available(), g.state(), g.partitions(), g.members().size(),
                    latestAnswered.rate(), g.lag(), g.committedTotal(), g.logEndTotal(), latestAnswered.members());
        }
        String status;
        if (last == null) {
            status = "waiting";
        } else if (!last.available()) {
            status = "unavailable";
        } else if (last.members().isEmpty()) {
            status = "empty";
        } else {
            status = last.settled() ? "ok" : "rebalancing";
        }
        return new ScalingView(topic, group, now, lengthMs, sampleIntervalMs, rateSpanMs, status,
                last == null ? null : last.error(), last == null ? null : last.at(),
                latestAnswered == null ? null : latestAnswered.snapshot().at(),
                current, points, List.copyOf(events));
    }

    /** Members in the latest sample, or NaN when Kafka did not answer it (for the gauges). */
    public synchronized double currentMembers() {
        Stored s = latestIfAnswered();
        return s == null ? Double.NaN : s.snapshot().members().size();
    }

    public synchronized double currentChunksPerSecond() {
        Stored s = latestIfAnswered();
        return s == null || s.rate() == null ? Double.NaN : s.rate();
    }

    public synchronized double currentLag() {
        Stored s = latestIfAnswered();
        return s == null ? Double.NaN : s.snapshot().lag();
    }

    synchronized int sampleCount() {
        return samples.size();
    }

    synchronized int labelCount() {
        return labels.size();
    }

    private Stored latestIfAnswered() {
        Stored s = samples.peekLast();
        return s != null && s.snapshot().available() ? s : null;
    }

    /** The group's rate: committed-offset growth of all partitions since the oldest answered sample within the rate span. */
    private Double groupRate(GroupSnapshot now) {
        for (Stored s : samples) {
            GroupSnapshot then = s.snapshot();
            if (then.available() && then.at() >= now.at() - rateSpanMs && then.at() < now.at()) {
                return perSecond(growth(then, now, now.logEnd().keySet()), now.at() - then.at());
            }
        }
        return null;
    }

    /** A member's rate: growth of its partitions since the oldest sample within the span in which it already owned them. */
    private Double memberRate(GroupSnapshot now, Member member) {
        GroupSnapshot since = null;
        Iterator<Stored> newestFirst = samples.descendingIterator();
        while (newestFirst.hasNext()) {
            GroupSnapshot then = newestFirst.next().snapshot();
            if (then.at() < now.at() - rateSpanMs) {
                break;
            }
            if (!then.available()) {
                continue; // a gap in what we know, not a change of ownership
            }
            if (!member.partitions().equals(partitionsOf(then, member.memberId()))) {
                break;
            }
            since = then;
        }
        return since == null || since.at() >= now.at() ? null
                : perSecond(growth(since, now, member.partitions()), now.at() - since.at());
    }

    private static List<Integer> partitionsOf(GroupSnapshot snapshot, String memberId) {
        for (Member m : snapshot.members()) {
            if (m.memberId().equals(memberId)) {
                return m.partitions();
            }
        }
        return null;
    }

    private static long growth(GroupSnapshot then, GroupSnapshot now, Collection<Integer> partitions) {
        long sum = 0;
        for (Integer p : partitions) {
            // an offset that went back (a reset group or re-created topic) is no negative work
            sum += Math.max(0, now.committed().getOrDefault(p, 0L) - then.committed().getOrDefault(p, 0L));
        }
        return sum;
    }

    private static double perSecond(long chunks, long ms) {
        return Math.round(chunks * 100_000.0 / ms) / 100.0; // two decimals are plenty for a chart
    }

    /**
     * A label per member, kept for as long as the member stays: its client id; when another member
     * has the same client id, the client id with its host, else with the end of its member id.
     */
    private void assignLabels(List<Member> members) {
        Set<String> present = members.stream().map(Member::memberId).collect(Collectors.toSet());
        labels.keySet().retainAll(present);
        Map<String, Long> clientIdCount = members.stream()
                .collect(Collectors.groupingBy(ScalingWindow::clientIdOf, Collectors.counting()));
        Map<String, Long> clientAtHostCount = members.stream()
                .collect(Collectors.groupingBy(m -> clientIdOf(m) + "@" + m.host(), Collectors.counting()));
        for (Member m : members) {
            if (labels.containsKey(m.memberId())) {
                continue;
            }
            Set<String> taken = new HashSet<>(labels.values());
            String clientId = clientIdOf(m);
            String atHost = clientId + "@" + m.host();
            String label;
            if (clientIdCount.get(clientId) == 1 && !taken.contains(clientId)) {
                label = clientId;
            } else if (!m.host().isEmpty() && clientAtHostCount.get(atHost) == 1 && !taken.contains(atHost)) {
                label = atHost;
            } else {
                String id = m.memberId();
                label = clientId + "#" + id.substring(Math.max(0, id.length() - 6));
            }
            labels.put(m.memberId(), label);
        }
    }

    private static String clientIdOf(Member m) {
        return m.clientId() == null || m.clientId().isBlank() ? m.memberId() : m.clientId();
    }

    /** Compares a settled sample with the previous settled one and records what changed. */
    private void noteMembership(GroupSnapshot now) {
        Map<String, List<Integer>> assignment = new LinkedHashMap<>();
        Map<String, String> nowLabels = new HashMap<>();
        for (Member m : now.members()) {
            assignment.put(m.memberId(), m.partitions());
            nowLabels.put(m.memberId(), labels.get(m.memberId()));
        }
        String kind = null;
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (lastSettled == null) {
            if (!assignment.isEmpty()) {
                kind = "seen";
                joined.addAll(nowLabels.values());
            }
        } else {
            assignment.keySet().stream().filter(id -> !lastSettled.containsKey(id)).forEach(id -> joined.add(nowLabels.get(id)));
            lastSettled.keySet().stream().filter(id -> !assignment.containsKey(id)).forEach(id -> left.add(lastSettledLabels.get(id)));
            if (!joined.isEmpty() && !left.isEmpty()) {
                kind = "changed";
            } else if (!joined.isEmpty()) {
                kind = "joined";
            } else if (!left.isEmpty()) {
                kind = "left";
            } else if (!assignment.equals(lastSettled)) {
                kind = "reassigned";
            }
        }
        lastSettled = assignment;
        lastSettledLabels = nowLabels;
        if (kind == null) {
            return;
        }
        joined.sort(null);
        left.sort(null);
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        assignment.forEach((id, partitions) -> byLabel.put(nowLabels.get(id), partitions));
        events.addLast(new ScalingView.Event(now.at(), kind, List.copyOf(joined), List.copyOf(left),
                java.util.Collections.unmodifiableMap(byLabel), describe(kind, joined, left, now.partitions(), byLabel)));
    }

    /** "compute-3 joined: 10 partitions → 4/3/3". */
    static String describe(String kind, List<String> joined, List<String> left, int partitions,
                           Map<String, List<Integer>> assignment) {
        List<String> parts = new ArrayList<>();
        switch (kind) {
            case "seen" -> parts.add(String.join(", ", joined) + " in the group");
            case "reassigned" -> parts.add("partitions reassigned");
            default -> {
                if (!joined.isEmpty()) {
                    parts.add(String.join(", ", joined) + " joined");
                }
                if (!left.isEmpty()) {
                    parts.add(String.join(", ", left) + " left");
                }
            }
        }
        String split = assignment.isEmpty()
                ? "no members"
                : assignment.values().stream().map(List::size).sorted(Comparator.reverseOrder())
                        .map(String::valueOf).collect(Collectors.joining("/"));
        return String.join(", ", parts) + ": " + partitions + " partition" + (partitions == 1 ? "" : "s") + " → " + split;
    }
}
