package kafkascale.compute;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kafkascale.PipelineMetrics;
import kafkascale.census.ChunkTally;
import kafkascale.census.RecordLayout;
import kafkascale.kafka.ChunkKey;
import kafkascale.kafka.KafkaRecord;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.ChunkResult;
import kafkascale.results.ChunkResults;
import kafkascale.results.ResultsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compute's work: a polled batch of chunk records in, one results record per attempt in the batch out
 * (for the results topic, each chunk's counts an entry of it). A chunk that cannot be read (a key not
 * of the chunk shape, missing or garbled headers) is not counted: it goes, as it came
 * and with the reason, to the compute dead-letter topic in the same send, so the batch's offsets are
 * committed only once both are written.
 */
public final class ChunkCounter {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkCounter.class);

    private final PipelineMetrics metrics;
    private final long delayMs;
    private final String deadLetterTopic;

    /** @param delayMs simulated heavier work per chunk (COMPUTE_DELAY_MS), for scaling demos */
    public ChunkCounter(PipelineMetrics metrics, long delayMs, String deadLetterTopic) {
        this.metrics = metrics;
        this.delayMs = delayMs;
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * Counts a polled batch: one results message per attempt in it (all its chunk results, in the order
     * read) and one dead letter per chunk that cannot be read.
     */
    public List<KafkaRecord> count(List<KafkaRecord> chunks) throws InterruptedException {
        List<KafkaRecord> out = new ArrayList<>(2);
        Map<String, List<ChunkResult>> byAttempt = new LinkedHashMap<>();
        for (KafkaRecord chunk : chunks) {
            ChunkResult result = count(chunk, out);
            if (result != null) {
                byAttempt.computeIfAbsent(result.attemptId() + '/' + result.month() + '/' + result.chunkLines(),
                        k -> new ArrayList<>(chunks.size())).add(result);
            }
            metrics.computeMessagesRead(1); // per chunk, so progress shows within a batch
        }
        long written = 0;
        for (List<ChunkResult> results : byAttempt.values()) {
            ChunkResults message = ChunkResults.of(results);
            out.add(KafkaRecord.outgoing(message.key(), Map.of(), ResultsMessage.toJson(message).getBytes(StandardCharsets.UTF_8)));
            written += results.size();
        }
        metrics.resultMessagesWritten(written); // chunk results, as in the Go original
        return out;
    }

    /** The chunk's counts, or null when it cannot be read: then its dead letter is added to {@code deadLetters}. */
    private ChunkResult count(KafkaRecord chunk, List<KafkaRecord> deadLetters) throws InterruptedException {
        long start = System.nanoTime();
        ChunkResult result;
        try {
            byte[] records = chunk.value() == null ? new byte[0] : chunk.value();
            ChunkTally tally = ChunkTally.count(records, RecordLayout.parse(header(chunk, PipelineHeaders.LAYOUT)));
            ChunkKey key = ChunkKey.parse(chunk.key());
            result = new ChunkResult(key.attemptId(), key.month(), key.seq(),
                    Integer.parseInt(header(chunk, PipelineHeaders.CHUNK_LINES)),
                    tally.records(), tally.codeCounts(), tally.rejectedCounts(),
                    Long.parseLong(header(chunk, PipelineHeaders.READ_AT)));
            result.rejected().forEach(metrics::recordsRejected);
        } catch (RuntimeException e) {
            metrics.malformedMessage("compute");
            LOG.error("Malformed chunk on the compute topic (partition {}, offset {}): {}; not counted, sent to {}",
                    chunk.partition(), chunk.offset(), e.toString(), deadLetterTopic);
            deadLetters.add(chunk.deadLetter(deadLetterTopic, e.toString()));
            return null;
        }
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
        metrics.computeTime(Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private static String header(KafkaRecord record, String name) {
        String value = record.header(name);
        if (value == null) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return value;
    }
}
