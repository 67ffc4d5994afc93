package kafkascale.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * When a pipeline run's last results message was written: the largest record timestamp on the
 * results topic (the producers' clocks, CreateTime). A run is complete once the reader's run
 * summary and every chunk's result are there, so this is the server-side end of a run for an app
 * whose /progress has no {@code completedAt} yet; the results role applies the message milliseconds
 * later. Prints one JSON line.
 *
 * <p>usage: ResultsClock BOOTSTRAP RESULTS_TOPIC
 */
public final class ResultsClock {

    private ResultsClock() {
    }

    public static void main(String[] args) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(PipelineClients.consumer(args[0]))) {
            List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(args[1]).size())
                    .mapToObj(p -> new TopicPartition(args[1], p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long last = 0;
            long messages = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    last = Math.max(last, record.timestamp());
                    messages++;
                }
            }
            System.out.printf("{\"last_ms\":%d,\"messages\":%d}%n", last, messages);
        }
    }
}
