package kafkascale.scaling;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One look at the compute consumer group, as Kafka's AdminClient reported it: who is in the group,
 * which partitions each member owns, and the group's committed and end offsets per partition. Or,
 * when Kafka did not answer, just the time and why ({@code available == false}).
 *
 * @param at        when it was taken (epoch ms)
 * @param state     the group state as Kafka names it ("Stable", "PreparingRebalance", "Empty", "Dead"…)
 * @param committed the group's committed offset per partition of the topic (absent: nothing committed)
 * @param logEnd    the end offset per partition of the topic
 */
public record GroupSnapshot(long at, boolean available, String error, String state, int partitions,
                            List<Member> members, Map<Integer, Long> committed, Map<Integer, Long> logEnd) {

    /** States in which the membership is settled: no rebalance under way. */
    private static final Set<String> SETTLED = Set.of("Stable", "Empty", "Dead");

    /** A member of the group: its ids, host and the topic's partitions it owns (sorted). */
    public record Member(String memberId, String clientId, String host, List<Integer> partitions) {
        public Member {
            partitions = partitions.stream().sorted().toList();
            host = host == null ? "" : host.startsWith("/") ? host.substring(1) : host;
        }
    }

    public GroupSnapshot {
        members = List.copyOf(members);
        committed = Map.copyOf(committed);
        logEnd = Map.copyOf(logEnd);
    }

    public static GroupSnapshot unavailable(long at, String error) {
        return new GroupSnapshot(at, false, error, null, 0, List.of(), Map.of(), Map.of());
    }

    /** True when no rebalance is under way, so the members and their partitions are final. */
    public boolean settled() {
        return available && SETTLED.contains(state);
    }

    /** Sum over partitions of (end offset − committed offset); no commit counts from offset 0, as /admin/offsets does. */
    public long lag() {
        long lag = 0;
        for (Map.Entry<Integer, Long> end : logEnd.entrySet()) {
            lag += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    public long committedTotal() {
        return committed.values().stream().mapToLong(Long::longValue).sum();
    }

    public long logEndTotal() {
        return logEnd.values().stream().mapToLong(Long::longValue).sum();
    }
}
