package kafkascale.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * What Kafka itself does with the pipeline's chunk messages on this broker: the same keys, the same
 * six headers, the same values (chunks of the real files, loaded into memory first) and the app's
 * client settings. Two ceilings: {@code sequential} produces everything, then consumes it;
 * {@code concurrent} consumes while it produces, as a pipeline does. Prints one JSON line.
 *
 * <p>usage: KafkaCeiling BOOTSTRAP TOPIC sequential|concurrent CHUNK_LINES PARTITIONS FILE...
 */
public final class KafkaCeiling {

    private KafkaCeiling() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        boolean concurrent = switch (args[2]) {
            case "sequential" -> false;
            case "concurrent" -> true;
            default -> throw new IllegalArgumentException("mode is sequential or concurrent, not " + args[2]);
        };
        int chunkLines = Integer.parseInt(args[3]);
        int partitions = Integer.parseInt(args[4]);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long valueBytes = 0;
        long readAt = System.currentTimeMillis();
        for (ChunkFiles.ChunkText chunk : ChunkFiles.load(ChunkFiles.paths(Arrays.asList(args).subList(5, args.length)), chunkLines)) {
            byte[] value = chunk.text().getBytes(StandardCharsets.ISO_8859_1);
            valueBytes += value.length;
            records.add(new ProducerRecord<>(topic, null, chunk.key().getBytes(StandardCharsets.UTF_8), value,
                    Arrays.asList(pipelineHeaders(chunk, chunkLines, readAt))));
        }
        PipelineClients.createTopics(bootstrap, Map.of(topic, partitions));

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(PipelineClients.producer(bootstrap));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(PipelineClients.consumer(bootstrap))) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            assigned.forEach(consumer::position); // resolved now, not inside the measured time
            producer.partitionsFor(topic); // metadata fetched now, likewise

            double cpuBefore = ProcessCpu.seconds();
            long startMs = System.currentTimeMillis();
            long start = System.nanoTime();
            CompletableFuture<long[]> consumed = concurrent
                    ? CompletableFuture.supplyAsync(() -> consumeAll(consumer, records.size()))
                    : null;
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            long produced = System.nanoTime();
            if (sendFailure.get() != null) {
                throw new IllegalStateException("a send failed", sendFailure.get());
            }
            long[] got = concurrent ? consumed.get(300, TimeUnit.SECONDS) : consumeAll(consumer, records.size());
            long end = System.nanoTime();
            double cpu = ProcessCpu.seconds() - cpuBefore;
            if (got[0] != records.size() || got[1] != valueBytes) {
                throw new IllegalStateException("consumed " + got[0] + " messages of " + got[1] + " bytes, produced "
                        + records.size() + " of " + valueBytes);
            }
            System.out.printf("{\"mode\":\"%s\",\"messages\":%d,\"value_bytes\":%d,\"seconds\":%.3f,"
                            + "\"produce_seconds\":%.3f,\"consume_seconds\":%.3f,\"cpu_seconds\":%.2f,\"window_ms\":[%d,%d]}%n",
                    args[2], records.size(), valueBytes, (end - start) / 1e9, (produced - start) / 1e9,
                    concurrent ? (end - start) / 1e9 : (end - produced) / 1e9, cpu, startMs, System.currentTimeMillis());
        }
    }

    /** The headers the app's reader puts on every chunk (ReadSupport.chunkMessage). */
    static Header[] pipelineHeaders(ChunkFiles.ChunkText chunk, int chunkLines, long readAt) {
        return new Header[] {
            header("ks-layout", "fixed"),
            header("ks-chunk-lines", Integer.toString(chunkLines)),
            header("ks-read-at", Long.toString(readAt)),
        };
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Polls until {@code expected} messages arrived; returns {messages, value bytes}. */
    private static long[] consumeAll(KafkaConsumer<byte[], byte[]> consumer, int expected) {
        long messages = 0;
        long bytes = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (messages < expected && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(java.time.Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                messages++;
                bytes += record.value().length;
            }
        }
        return new long[] {messages, bytes};
    }
}
