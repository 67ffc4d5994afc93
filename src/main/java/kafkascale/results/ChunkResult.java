package kafkascale.results;

import java.util.Map;

/**
 * Compute's counts of one chunk of an attempt.
 *
 * @param attemptId  the attempt the chunk belongs to (a header of the chunk on the compute topic)
 * @param month      the attempt's month, {@code 2019-01}
 * @param seq        zero-based position of the chunk in the attempt
 * @param chunkLines the attempt's chunk size
 * @param records    records in the chunk: the sum of {@code counts} and {@code rejected}
 * @param counts     records per HEHOUSUT code 0..12 (codes with no record may be left out)
 * @param rejected   records not counted, per {@link kafkascale.census.RejectReason} tag
 * @param readAt     epoch ms when the reader produced the chunk, for end-to-end latency
 */
public record ChunkResult(String attemptId, String month, long seq, int chunkLines, long records,
                          Map<Integer, Long> counts, Map<String, Long> rejected, long readAt)
        implements ResultsMessage {

    @Override
    public String key() {
        return ResultsMessage.monthKey(month);
    }
}
