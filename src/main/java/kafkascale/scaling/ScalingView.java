package kafkascale.scaling;

import java.util.List;
import java.util.Map;

/**
 * What GET /scaling answers (as JSON): the compute group now, and the window of samples and
 * membership changes behind it. Rates are chunks per second from committed-offset deltas; a rate
 * is null until there are two samples to compare.
 *
 * @param status  {@code ok}, {@code rebalancing}, {@code empty} (no members), {@code unavailable}
 *                (Kafka did not answer the latest sample; {@code current} is the last good one) or
 *                {@code waiting} (no sample yet)
 * @param current the latest sample Kafka answered, or null
 * @param samples oldest first, one per sample in the window
 * @param events  membership changes in the window, oldest first
 */
public record ScalingView(String topic, String group, long now, long windowMs, long sampleIntervalMs, long rateSpanMs,
                          String status, String error, Long lastSampleAt, Long lastAvailableAt,
                          Current current, List<Point> samples, List<Event> events) {

    /**
     * The group at the latest sample Kafka answered.
     *
     * @param stale true when later samples failed (Kafka unreachable since)
     */
    public record Current(long at, boolean stale, String state, int partitions, int memberCount,
                          Double chunksPerSecond, long lag, long committed, long logEnd, List<Member> members) {
    }

    /** A member as shown in the table; {@code label} is its client id, made unique when client ids repeat. */
    public record Member(String label, String memberId, String clientId, String host, List<Integer> partitions,
                         Double chunksPerSecond) {
    }

    /** One sample on the chart; the numbers are null when Kafka did not answer. */
    public record Point(long at, boolean available, String state, Integer members, Double chunksPerSecond, Long lag) {
    }

    /**
     * A change of membership (or of the assignment), seen once the group settled.
     *
     * @param kind       {@code seen} (the first look), {@code joined}, {@code left}, {@code changed}
     *                   (members both joined and left) or {@code reassigned} (same members, other partitions)
     * @param assignment member label to its partitions after the change
     * @param text       e.g. "compute-3 joined: 10 partitions → 4/3/3"
     */
    public record Event(long at, String kind, List<String> joined, List<String> left,
                        Map<String, List<Integer>> assignment, String text) {
    }
}
