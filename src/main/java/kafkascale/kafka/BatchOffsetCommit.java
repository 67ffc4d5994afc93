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

/**
 * Commits a polled batch's offsets, synchronously, for every partition it spans, in one call.
 *
 * <p>Why not camel-kafka's own commit: its batch auto-commit commits the poll position asynchronously,
 * whether or not the batch's results were written, and its {@code KafkaManualCommit} commits one
 * partition per call. So this class reaches into the manual-commit header for the consumer (the only
 * camel-kafka internal the app uses) and commits once the route has the results acknowledged: a crash
 * before this means the chunks are read again, never lost.
 */
public final class BatchOffsetCommit {

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
            consumer.commitSync(offsets);
        }
    }
}
