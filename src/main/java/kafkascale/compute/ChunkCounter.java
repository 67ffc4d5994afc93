package kafkascale.compute;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafkascale.PipelineMetrics;
import kafkascale.census.ChunkTally;
import kafkascale.census.RecordLayout;
import kafkascale.kafka.ChunkKey;
import kafkascale.kafka.KafkaRecord;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.ChunkResult;
import kafkascale.results.ResultsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compute's work: a polled batch of chunk records in, one result record per chunk out (for the results
 * topic). A chunk that cannot be read (missing or garbled headers) is not counted: it goes, as it came
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

    public List<KafkaRecord> count(List<KafkaRecord> chunks) throws InterruptedException {
        List<KafkaRecord> out = new ArrayList<>(chunks.size());
        for (KafkaRecord chunk : chunks) {
            out.add(count(chunk));
            metrics.computeMessagesRead(1); // per chunk, so progress shows within a batch
        }
        metrics.resultMessagesWritten(out.size());
        return out;
    }

    private KafkaRecord count(KafkaRecord chunk) throws InterruptedException {
        long start = System.nanoTime();
        ChunkResult result;
        try {
            String text = chunk.value() == null ? "" : new String(chunk.value(), StandardCharsets.ISO_8859_1);
            ChunkTally tally = ChunkTally.count(text, RecordLayout.parse(header(chunk, PipelineHeaders.LAYOUT)));
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
            return chunk.deadLetter(deadLetterTopic, e.toString());
        }
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
        metrics.computeTime(Duration.ofNanos(System.nanoTime() - start));
        return KafkaRecord.outgoing(result.key(), Map.of(),
                ResultsMessage.toJson(result).getBytes(StandardCharsets.UTF_8));
    }

    private static String header(KafkaRecord record, String name) {
        String value = record.header(name);
        if (value == null) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return value;
    }
}
