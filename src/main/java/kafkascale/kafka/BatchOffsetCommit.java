package kafkascale.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a polled batch's offsets for every partition it spans, in one call, without waiting for the
 * broker's answer.
 *
 * <p>Why not camel-kafka's own commit: its batch auto-commit commits the poll position asynchronously,
 * whether or not the batch's results were written, and its {@code KafkaManualCommit} commits one
 * partition per call. So this class reaches into the manual-commit header for the consumer (the only
 * camel-kafka internal the app uses) and commits once the route has the results acknowledged: a crash
 * before this means the chunks are read again, never lost.
 *
 * <p>Why asynchronously: a synchronous commit held the batch loop for a broker round trip per batch
 * while the next chunks waited. The commit is still sent only after the batch's results are
 * acknowledged, and Kafka applies one consumer's commits in order; a commit that fails (a rebalance,
 * the broker gone) is logged and counted, and at worst the chunks since the last good commit are read
 * again, which the results role counts once (per-chunk dedup).
 */
public final class BatchOffsetCommit {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOffsetCommit.class);

    private final Runnable onFailure;

    /** @param onFailure called (on the consumer's thread) for each commit Kafka refused, e.g. to count it */
    public BatchOffsetCommit(Runnable onFailure) {
        this.onFailure = onFailure;
    }

    public void commit(List<Exchange> polled) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Consumer<?, ?> consumer = null;
        for (Exchange exchange : polled) {
            if (exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit) {
                consumer = commit.getCamelExchangePayload().consumer;
                offsets.merge(commit.getPartition(), new OffsetAndMetadata(commit.getRecordOffset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
        }
        if (consumer != null && !offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    onFailure.run();
                    LOG.warn("Offset commit of {} partition(s) failed ({}); those chunks may be read again and are "
                            + "then counted once", offsets.size(), failure.toString());
                }
            });
        }
    }
}
