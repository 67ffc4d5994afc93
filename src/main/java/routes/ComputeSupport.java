package routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import kafkascale.PipelineMetrics;
import kafkascale.census.ChunkTally;
import kafkascale.census.RecordLayout;
import kafkascale.results.PipelineMessages;
import kafkascale.results.PipelineMessages.ChunkResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compute's step: a polled batch of chunks in, one result message per chunk out. */
public final class ComputeSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeSupport.class);
    /** Exchange property holding the polled chunk exchanges while the body carries their results. */
    static final String CHUNKS = "kafkaScaleChunks";

    /** Dead-letter headers: why a message was set aside, and where it came from. */
    public static final String H_ERROR = "ks-error";
    public static final String H_ORIGIN = "ks-original-topic-partition-offset";

    private final PipelineMetrics metrics;
    private final long delayMs;
    private final String deadLetterTopic;

    public ComputeSupport(PipelineMetrics metrics, long delayMs, String deadLetterTopic) {
        this.metrics = metrics;
        this.delayMs = delayMs;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** Body: the batch's exchanges (camel-kafka batching mode). Returns the result messages to send. */
    public List<Message> countBatch(Exchange batch) throws InterruptedException {
        @SuppressWarnings("unchecked")
        List<Exchange> chunks = batch.getMessage().getBody(List.class);
        List<Message> results = new ArrayList<>(chunks.size());
        for (Exchange chunk : chunks) {
            Message result = count(batch, chunk.getMessage());
            metrics.computeMessagesRead(1); // per chunk, so progress shows within a batch
            results.add(result);
        }
        metrics.resultMessagesWritten(results.size());
        return results;
    }

    /**
     * Commits the offset after the batch's last chunk of every partition, in one synchronous commit.
     * Runs only once the results are acknowledged, so a crash before it means the chunks are read
     * again, never lost. (camel-kafka's KafkaManualCommit commits one partition per call; the batch
     * spans up to all of them, so the offsets are gathered and committed together on the consumer.)
     */
    public void commitBatch(Exchange batch) {
        @SuppressWarnings("unchecked")
        List<Exchange> chunks = batch.getProperty(CHUNKS, List.class);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Consumer<?, ?> consumer = null;
        for (Exchange chunk : chunks) {
            if (chunk.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit) {
                consumer = commit.getCamelExchangePayload().consumer;
                offsets.merge(commit.getPartition(), new OffsetAndMetadata(commit.getRecordOffset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
        }
        if (consumer != null && !offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private Message count(Exchange batch, Message chunk) throws InterruptedException {
        long start = System.nanoTime();
        ChunkResult result;
        try {
            String text = chunk.getBody(String.class);
            RecordLayout layout = RecordLayout.parse(header(chunk, ReadSupport.H_LAYOUT));
            ChunkTally tally = ChunkTally.count(text == null ? "" : text, layout);
            result = new ChunkResult(header(chunk, ReadSupport.H_SOURCE),
                    Long.parseLong(header(chunk, ReadSupport.H_SEQ)),
                    Integer.parseInt(header(chunk, ReadSupport.H_CHUNK_LINES)),
                    Integer.parseInt(header(chunk, ReadSupport.H_YEAR)),
                    tally.records(), tally.codeCounts(), tally.rejectedCounts(),
                    Long.parseLong(header(chunk, ReadSupport.H_READ_AT)));
            result.rejected().forEach(metrics::recordsRejected);
        } catch (RuntimeException e) {
            metrics.malformedMessage("compute");
            LOG.error("Malformed chunk on the compute topic (partition {}, offset {}): {}; not counted, sent to {}",
                    chunk.getHeader(KafkaConstants.PARTITION), chunk.getHeader(KafkaConstants.OFFSET), e.toString(),
                    deadLetterTopic);
            return deadLetter(batch, chunk, e);
        }
        if (delayMs > 0) {
            Thread.sleep(delayMs); // simulated heavier work per chunk, for scaling demos
        }
        metrics.computeTime(Duration.ofNanos(System.nanoTime() - start));
        Message out = new DefaultMessage(batch.getContext());
        out.setHeader(KafkaConstants.KEY, result.key());
        out.setBody(PipelineMessages.toJson(result));
        return out;
    }

    /** The chunk as it came, to the dead-letter topic (in the same send as the batch's results). */
    private Message deadLetter(Exchange batch, Message chunk, RuntimeException error) {
        Message dead = new DefaultMessage(batch.getContext());
        dead.setHeader(KafkaConstants.OVERRIDE_TOPIC, deadLetterTopic);
        Object key = chunk.getHeader(KafkaConstants.KEY);
        if (key != null) {
            dead.setHeader(KafkaConstants.KEY, key.toString());
        }
        dead.setHeader(H_ERROR, error.toString());
        dead.setHeader(H_ORIGIN, chunk.getHeader(KafkaConstants.TOPIC) + "/" + chunk.getHeader(KafkaConstants.PARTITION)
                + "/" + chunk.getHeader(KafkaConstants.OFFSET));
        dead.setBody(chunk.getBody(byte[].class));
        return dead;
    }

    private static String header(Message message, String name) {
        String value = message.getHeader(name, String.class);
        if (value == null) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return value;
    }
}
