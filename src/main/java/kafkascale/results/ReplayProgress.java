package kafkascale.results;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the results role's replay of the results topic has come, against the end offsets the topic
 * had when the role started: until it has read that far, what it would serve is a partial rebuild, so
 * it is not ready (readiness DOWN) and a Service sends no request to it.
 */
public final class ReplayProgress {

    private volatile Map<Integer, Long> target;
    private final Map<Integer, Long> seen = new ConcurrentHashMap<>();

    /** The end offset of every results partition when the role started. */
    public void target(Map<Integer, Long> endOffsets) {
        this.target = Map.copyOf(endOffsets);
    }

    /** A record at {@code offset} of {@code partition} was read (counted or set aside). */
    public void seen(int partition, long offset) {
        seen.merge(partition, offset, Math::max);
    }

    /** True once every partition has been read up to the end it had at start. */
    public boolean caughtUp() {
        Map<Integer, Long> t = target;
        if (t == null) {
            return false;
        }
        return t.entrySet().stream().allMatch(e -> e.getValue() == 0 || seen.getOrDefault(e.getKey(), -1L) >= e.getValue() - 1);
    }

    /** For the health check's detail: where the replay is. */
    public String describe() {
        Map<Integer, Long> t = target;
        if (t == null) {
            return "results topic end offsets not known yet (waiting for the broker)";
        }
        StringBuilder out = new StringBuilder();
        t.forEach((p, end) -> out.append(out.length() == 0 ? "" : ", ").append("partition ").append(p).append(": read ")
                .append(seen.getOrDefault(p, -1L) + 1).append(" of ").append(end));
        return out.toString();
    }
}
