package kafkascale.census;

import java.util.EnumMap;
import java.util.Map;

/** Counts of one chunk: records per HEHOUSUT code, and rejected records per reason. */
public final class ChunkTally {

    private final long[] codes = new long[HousingCodes.COUNT];
    private final long[] rejected = new long[RejectReason.values().length];

    /** Counts every record of a chunk text laid out as {@code layout}. Empty lines are not records. */
    public static ChunkTally count(String text, RecordLayout layout) {
        ChunkTally tally = new ChunkTally();
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            if (end > start && !(end == start + 1 && text.charAt(start) == '\r')) {
                tally.add(layout.classify(text.substring(start, end)));
            }
            start = end + 1;
        }
        return tally;
    }

    /**
     * The same count over a chunk's bytes ({@link Chunk#bytes()}, the compute topic's message value):
     * records are found and classified in place, with no String of the chunk or of its records.
     */
    public static ChunkTally count(byte[] chunk, RecordLayout layout) {
        ChunkTally tally = new ChunkTally();
        int start = 0;
        int length = chunk.length;
        while (start <= length) {
            int end = start;
            while (end < length && chunk[end] != '\n') {
                end++;
            }
            if (end > start && !(end == start + 1 && chunk[start] == '\r')) {
                tally.add(layout.classify(chunk, start, end));
            }
            start = end + 1;
        }
        return tally;
    }

    public void add(int classified) {
        if (classified >= 0) {
            codes[classified]++;
        } else {
            rejected[RecordLayout.rejection(classified).ordinal()]++;
        }
    }

    public long code(int code) {
        return codes[code];
    }

    public long rejected(RejectReason reason) {
        return rejected[reason.ordinal()];
    }

    public long counted() {
        long sum = 0;
        for (long c : codes) {
            sum += c;
        }
        return sum;
    }

    public long rejectedTotal() {
        long sum = 0;
        for (long r : rejected) {
            sum += r;
        }
        return sum;
    }

    public long records() {
        return counted() + rejectedTotal();
    }

    /** Non-zero code counts keyed by code, as written into a result message. */
    public Map<Integer, Long> codeCounts() {
        Map<Integer, Long> map = new java.util.TreeMap<>();
        for (int c = 0; c < codes.length; c++) {
            if (codes[c] != 0) {
                map.put(c, codes[c]);
            }
        }
        return map;
    }

    /** Non-zero rejection counts keyed by reason tag. */
    public Map<String, Long> rejectedCounts() {
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            if (rejected[r.ordinal()] != 0) {
                byReason.put(r, rejected[r.ordinal()]);
            }
        }
        Map<String, Long> map = new java.util.TreeMap<>();
        byReason.forEach((r, n) -> map.put(r.tag(), n));
        return map;
    }
}
