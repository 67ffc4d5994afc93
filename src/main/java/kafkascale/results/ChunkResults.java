package kafkascale.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafkascale.results.PoisonMessage.Reason;

/**
 * Compute's counts of the chunks of one attempt in one polled batch: one results message for up to a
 * batch of chunks, not one per chunk (fewer, larger messages cost less to write, send and read). Each
 * entry is still a chunk of its own to the ledger, so deduplication stays per chunk.
 *
 * @param attemptId  the attempt the chunks belong to
 * @param month      the attempt's month, {@code 2019-01}
 * @param chunkLines the attempt's chunk size
 * @param chunks     one entry per chunk, in the order compute read them
 */
public record ChunkResults(String attemptId, String month, int chunkLines, List<Entry> chunks)
        implements ResultsMessage {

    /** The most chunks one message may carry (compute writes at most one batch's worth). */
    public static final int MAX_CHUNKS = 100_000;

    /**
     * One chunk's counts.
     *
     * @param seq      zero-based position of the chunk in the attempt
     * @param records  records in the chunk: the sum of {@code counts} and {@code rejected}
     * @param counts   records per HEHOUSUT code 0..12 (codes with no record may be left out)
     * @param rejected records not counted, per {@link kafkascale.census.RejectReason} tag
     * @param readAt   epoch ms when the reader produced the chunk, for end-to-end latency
     */
    public record Entry(long seq, long records, Map<Integer, Long> counts, Map<String, Long> rejected, long readAt) {
    }

    /** The message for chunk results of one attempt (all of the same attempt, month and chunk size). */
    public static ChunkResults of(List<ChunkResult> results) {
        ChunkResult first = results.get(0);
        List<Entry> entries = new ArrayList<>(results.size());
        for (ChunkResult r : results) {
            entries.add(new Entry(r.seq(), r.records(), r.counts(), r.rejected(), r.readAt()));
        }
        return new ChunkResults(first.attemptId(), first.month(), first.chunkLines(), entries);
    }

    /** Each entry as the chunk result the ledger applies; a message with no entries or too many is poison. */
    public List<ChunkResult> each() {
        if (chunks == null || chunks.isEmpty() || chunks.size() > MAX_CHUNKS) {
            throw new PoisonMessage(Reason.BAD_RECORDS, "chunk results of attempt " + attemptId + " with "
                    + (chunks == null ? "no" : chunks.size()) + " entries; expected 1.." + MAX_CHUNKS);
        }
        List<ChunkResult> results = new ArrayList<>(chunks.size());
        for (Entry e : chunks) {
            if (e == null) {
                throw new PoisonMessage(Reason.UNREADABLE, "a null entry in the chunk results of attempt " + attemptId);
            }
            results.add(new ChunkResult(attemptId, month, e.seq(), chunkLines, e.records(), e.counts(), e.rejected(), e.readAt()));
        }
        return results;
    }

    @Override
    public String key() {
        return ResultsMessage.monthKey(month);
    }
}
