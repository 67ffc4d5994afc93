package kafkascale.kafka;

/**
 * The key of a chunk on the compute topic, {@code chunk/<month>/<attemptId>/<seq>}: it spreads a
 * month's chunks over the partitions, the same chunk always has the same key, and it says which read
 * of which survey month the chunk is and where in it, so no header has to say it again.
 *
 * @param month     the survey month, {@code 2019-01}
 * @param attemptId the read of the month the chunk belongs to
 * @param seq       zero-based position of the chunk in the attempt
 */
public record ChunkKey(String month, String attemptId, long seq) {

    private static final String PREFIX = "chunk/";

    public ChunkKey {
        if (month == null || month.isEmpty() || month.indexOf('/') >= 0
                || attemptId == null || attemptId.isEmpty() || attemptId.indexOf('/') >= 0 || seq < 0) {
            throw new IllegalArgumentException("not a chunk key: month " + month + ", attempt " + attemptId + ", seq " + seq);
        }
    }

    /** Reads a key written by {@link #toString()}; anything else is an IllegalArgumentException that says why. */
    public static ChunkKey parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            throw new IllegalArgumentException("chunk key " + key + " is not chunk/<month>/<attempt>/<seq>");
        }
        int monthEnd = key.indexOf('/', PREFIX.length());
        int attemptEnd = monthEnd < 0 ? -1 : key.indexOf('/', monthEnd + 1);
        if (attemptEnd < 0 || key.indexOf('/', attemptEnd + 1) >= 0) {
            throw new IllegalArgumentException("chunk key " + key + " is not chunk/<month>/<attempt>/<seq>");
        }
        long seq;
        try {
            seq = Long.parseLong(key.substring(attemptEnd + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chunk key " + key + " has no chunk position after its attempt");
        }
        return new ChunkKey(key.substring(PREFIX.length(), monthEnd), key.substring(monthEnd + 1, attemptEnd), seq);
    }

    @Override
    public String toString() {
        return PREFIX + month + "/" + attemptId + "/" + seq;
    }
}
