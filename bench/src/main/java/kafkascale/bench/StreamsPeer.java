package kafkascale.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The job as a plain Kafka Streams app with exactly-once processing (v2): a feeder reads the
 * gzipped months, cuts chunks of N records as the app's reader does and writes them to an input
 * topic with the app's producer settings (key like the app's, no headers: a plain app needs none);
 * a topology of N stream threads counts HEHOUSUT per chunk and writes one count line per chunk to an
 * output topic; a read_committed consumer sums the output until every fed record is counted.
 *
 * <p>Time runs from the first record read to the last count seen, with the topology already running
 * (as the app's consumers are when its reader starts). Prints one JSON line with the totals per year
 * and code, in the shape of scripts/oracle.py's output, so the bench can compare them exactly.
 *
 * <p>usage: StreamsPeer BOOTSTRAP INPUT_TOPIC OUTPUT_TOPIC CHUNK_LINES PARTITIONS THREADS STATE_DIR FILE...
 */
public final class StreamsPeer {

    private static final int CODES = 13;

    private StreamsPeer() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        int chunkLines = Integer.parseInt(args[3]);
        int partitions = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        Path stateDir = Files.createDirectories(Path.of(args[6]));
        List<Path> files = ChunkFiles.paths(Arrays.asList(args).subList(7, args.length));
        // the output topic is the app's results topic: one partition
        PipelineClients.createTopics(bootstrap, Map.of(input, partitions, output, 1));

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(StreamsPeer::countChunk)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-peer-" + output);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), PipelineClients.codec()); // the app's codec
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);

        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> streamsFailure = new AtomicReference<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaConsumer<byte[], byte[]> results = new KafkaConsumer<>(PipelineClients.consumer(bootstrap));
             KafkaProducer<byte[], byte[]> feeder = new KafkaProducer<>(PipelineClients.producer(bootstrap))) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.setUncaughtExceptionHandler(e -> {
                streamsFailure.compareAndSet(null, e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING in 120 s");
            }
            TopicPartition out = new TopicPartition(output, 0);
            results.assign(List.of(out));
            results.seekToBeginning(List.of(out));
            results.position(out);
            feeder.partitionsFor(input);

            double cpuBefore = ProcessCpu.seconds();
            long startMs = System.currentTimeMillis();
            long start = System.nanoTime();
            AtomicLong fedRecords = new AtomicLong();
            AtomicLong fedChunks = new AtomicLong();
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            CountDownLatch fed = new CountDownLatch(1);
            Thread feed = new Thread(() -> {
                try {
                    ChunkFiles.forEachChunk(files, chunkLines, chunk -> {
                        feeder.send(new ProducerRecord<>(input, chunk.key().getBytes(StandardCharsets.UTF_8),
                                chunk.text().getBytes(StandardCharsets.ISO_8859_1)), (metadata, e) -> {
                                    if (e != null) {
                                        sendFailure.compareAndSet(null, e);
                                    }
                                });
                        fedRecords.addAndGet(chunk.records());
                        fedChunks.incrementAndGet();
                    });
                    feeder.flush();
                } catch (RuntimeException e) {
                    sendFailure.compareAndSet(null, e);
                } finally {
                    fed.countDown();
                }
            }, "feeder");
            feed.start();

            Map<Integer, long[]> counts = new TreeMap<>();
            long countedRecords = 0;
            long countLines = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (!(fed.getCount() == 0 && countedRecords >= fedRecords.get())) {
                if (sendFailure.get() != null || streamsFailure.get() != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Streams peer failed: feeder " + sendFailure.get() + ", streams "
                            + streamsFailure.get() + ", " + countedRecords + " of " + fedRecords.get() + " records counted");
                }
                for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(20))) {
                    String[] fields = new String(record.value(), StandardCharsets.US_ASCII).split(" ");
                    long[] year = counts.computeIfAbsent(Integer.parseInt(fields[0]), y -> new long[CODES]);
                    countedRecords += Long.parseLong(fields[1]);
                    for (int code = 0; code < CODES; code++) {
                        year[code] += Long.parseLong(fields[2 + code]);
                    }
                    countLines++;
                }
            }
            long end = System.nanoTime();
            double cpu = ProcessCpu.seconds() - cpuBefore;
            StringBuilder json = new StringBuilder();
            counts.forEach((year, codes) -> {
                json.append(json.length() == 0 ? "" : ", ").append('"').append(year).append("\": {");
                for (int code = 0; code < CODES; code++) {
                    json.append(code == 0 ? "" : ", ").append('"').append(code).append("\": ").append(codes[code]);
                }
                json.append('}');
            });
            System.out.printf("{\"seconds\":%.3f,\"records\":%d,\"chunks\":%d,\"count_messages\":%d,\"stream_threads\":%d,"
                            + "\"cpu_seconds\":%.2f,\"window_ms\":[%d,%d],\"counts\":{%s}}%n", (end - start) / 1e9,
                    fedRecords.get(), fedChunks.get(), countLines, threads, cpu, startMs, System.currentTimeMillis(), json);
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    /**
     * One chunk's count line: {@code YEAR RECORDS C0 .. C12}, where RECORDS is every record of the
     * chunk and Cn the records whose HEHOUSUT (zero-based columns 30-31) is code n; the year is the
     * first record's HRYEAR4.
     */
    static String countChunk(String chunk) {
        long[] codes = new long[CODES];
        long records = 0;
        int year = ChunkFiles.yearOf(chunk.length() >= 21 ? chunk.substring(0, 21) : chunk);
        int start = 0;
        while (start < chunk.length()) {
            int end = chunk.indexOf('\n', start);
            if (end < 0) {
                end = chunk.length();
            }
            if (end > start) {
                records++;
                if (end - start >= 32) {
                    String field = chunk.substring(start + 30, start + 32).trim();
                    try {
                        int code = Integer.parseInt(field);
                        if (code >= 0 && code < CODES) {
                            codes[code]++;
                        }
                    } catch (NumberFormatException e) {
                        // not a housing-unit code: the record is not counted under any code
                    }
                }
            }
            start = end + 1;
        }
        StringBuilder line = new StringBuilder(64).append(year).append(' ').append(records);
        for (long n : codes) {
            line.append(' ').append(n);
        }
        return line.toString();
    }
}
