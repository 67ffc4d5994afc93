package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.support.TestKafka;
import kafkascale.support.CensusHttpServer;
import kafkascale.support.Oracle;
import kafkascale.support.Progress;
import kafkascale.support.RunningApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets a named reason in /progress and a counted metric, and the rest of
 * the run stays exact: empty, not-gzip, zips with zero and two files, a decompression bomb, a 10 MB
 * line, non-ASCII bytes, HTTP 500 and read time-outs (retried, then given up), a refused
 * connection, and malformed messages on both topics (sent to the dead-letter topics).
 */
class BadInputTest {

    @TempDir
    static Path site;
    static TestKafka broker;
    static CensusHttpServer http;
    static Oracle oracle = new Oracle();

    @BeforeAll
    static void serve() throws Exception {
        broker = TestKafka.start();
        SampleGenerator generator = new SampleGenerator(15);
        Path dir = site.resolve("2015/basic");
        oracle.add(generator.writeMonth(dir, 2015, 1, 1_500, Shape.DAT_GZ, false), 2015);
        gzip(dir.resolve("feb15pub.dat.gz"), new byte[0]);
        Files.write(dir.resolve("mar15pub.dat.gz"), "plain text, not gzip\n".getBytes(StandardCharsets.US_ASCII));
        zip(dir.resolve("apr15pub.zip"), "a.dat", "b.dat");
        zip(dir.resolve("may15pub.zip"));
        gzip(dir.resolve("jun15pub.dat.gz"), new byte[30_000_000]); // ~30 kB that unpacks past the 20 MB limit set below
        oracle.add(withLongLineAndOddBytes(generator, dir.resolve("jul15pub.dat.gz")), 2015);
        generator.writeMonth(dir, 2015, 8, 100, Shape.DAT_GZ, false);
        generator.writeMonth(dir, 2015, 9, 100, Shape.DAT_GZ, false);
        http = new CensusHttpServer(site);
        http.failing.add("/2015/basic/aug15pub.dat.gz");
        http.slow.add("/2015/basic/sep15pub.dat.gz");
    }

    @AfterAll
    static void stop() {
        http.close();
        broker.close();
    }

    static Map<String, String> settings(String templates) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.brokers", broker.bootstrapServers());
        s.put("kafka.compute-topic", "bad-compute");
        s.put("kafka.results-topic", "bad-results");
        s.put("kafka.compute-dlq-topic", "bad-compute.dlq");
        s.put("kafka.results-dlq-topic", "bad-results.dlq");
        s.put("census.years", "2015");
        s.put("census.url-templates", templates);
        s.put("read.max-uncompressed-bytes", "20000000");
        s.put("read.max-line-chars", "100000");
        s.put("read.http-retries", "2");
        s.put("read.http-retry-delay-ms", "50");
        s.put("read.response-timeout-ms", "700");
        s.put("read.exit-when-done", "false");
        return s;
    }

    @Test
    void badSourcesAreNamedCountedAndLeftOutWhileTheRestCountsExactly() throws Exception {
        Map<String, String> s = settings(http.templates());
        s.put("census.months", "jan,feb,mar,apr,may,jun,jul,aug,sep");
        try (RunningApp app = RunningApp.start(s)) {
            JsonNode progress = app.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(120));
            assertEquals(oracle.counts(), app.counts(), "the good months count exactly");
            Map<String, String> expectedReasons = Map.of(
                    "feb15pub", "empty", "mar15pub", "not-gzip", "apr15pub", "zip-entries", "may15pub", "zip-entries",
                    "jun15pub", "too-large", "aug15pub", "http-500", "sep15pub", "read-timeout");
            MeterRegistry metrics = app.main.getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            expectedReasons.forEach((source, reason) -> {
                JsonNode p = Progress.outcome(progress, source);
                assertEquals("failed", p.get("status").asText(), source + ": " + p);
                assertTrue(p.get("error").asText().startsWith(reason), source + ": " + p);
                assertTrue(metrics.counter("kafka_scale_download_errors", "reason", reason).count() >= 1, reason);
            });
            assertEquals("ok", Progress.outcome(progress, "jul15pub").get("status").asText());
            assertEquals("counted", Progress.month(progress, "2015-07").get("status").asText());
            assertEquals(1.0, metrics.counter("kafka_scale_records_rejected", "reason", "overlong-line").count());
            assertEquals(3, http.requestsByPath.get("/2015/basic/aug15pub.dat.gz").get(), "one try and two retries: " + http.requestsByPath);
            assertEquals(3, http.requestsByPath.get("/2015/basic/sep15pub.dat.gz").get(), "one try and two retries");

            // messages another client wrote on the pipeline's topics: set aside, never counted
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("bad-compute", "garbage", "not a chunk: no headers"));
                producer.send(new ProducerRecord<>("bad-results", "garbage", "{\"type\":\"chunk\",\"counts\":{\"99\":5}}"));
                producer.send(new ProducerRecord<>("bad-results", "garbage-2", "{not json"));
            }
            List<ConsumerRecord<String, String>> computeDeadLetters = deadLetters("bad-compute.dlq", 1);
            assertEquals(1, computeDeadLetters.size());
            // set aside as it came: the same key and value, with why
            assertEquals("garbage", computeDeadLetters.get(0).key());
            assertEquals("not a chunk: no headers", computeDeadLetters.get(0).value());
            assertTrue(new String(computeDeadLetters.get(0).headers().lastHeader("ks-error").value(), StandardCharsets.UTF_8)
                    .contains("missing header"));
            List<ConsumerRecord<String, String>> results = deadLetters("bad-results.dlq", 2);
            assertEquals(2, results.size());
            assertTrue(new String(results.get(0).headers().lastHeader("ks-error").value(), StandardCharsets.UTF_8).length() > 0);
            assertEquals(oracle.counts(), app.counts(), "nothing malformed was counted");
            // compute reads at least once: a batch read again (its offset commit is asynchronous) names the
            // same malformed chunk again; it is still never counted (the counts above are exact)
            assertTrue(metrics.counter("kafka_scale_malformed_messages", "topic", "compute").count() >= 1.0);
            assertEquals(2.0, metrics.counter("kafka_scale_malformed_messages", "topic", "results").count());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        Map<String, String> s = settings("http://127.0.0.1:" + RunningApp.freePort() + "/{year}/basic/{mon}{yy}pub.dat.gz");
        s.put("census.months", "oct");
        s.put("kafka.results-topic", "refused-results");
        s.put("kafka.compute-topic", "refused-compute");
        try (RunningApp app = RunningApp.start(s)) {
            JsonNode progress = app.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(60));
            JsonNode oct = Progress.outcome(progress, "oct15pub");
            assertEquals("failed", oct.get("status").asText());
            assertTrue(oct.get("error").asText().startsWith("connection-refused"), oct.toString());
            MeterRegistry metrics = app.main.getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            assertEquals(1.0, metrics.counter("kafka_scale_download_errors", "reason", "connection-refused").count());
        }
    }

    private static List<ConsumerRecord<String, String>> deadLetters(String topic, int expected) {
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("group.id", "dlq-reader-" + topic);
        c.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> out = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            }
        }
        return out;
    }

    private static void gzip(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }

    private static void zip(Path file, String... entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("x\n".getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
    }

    /** Good records around a 10 MB line with no newline in it, and non-ASCII bytes inside records. */
    private static Path withLongLineAndOddBytes(SampleGenerator generator, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 800; i++) {
            byte[] line = (generator.fixedWidthRecord(String.format("%015d", i), 2015, 7, i % 13) + "\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            line[50] = (byte) 0xE9;
            line[51] = (byte) 0xFF;
            bytes.write(line);
            if (i == 400) {
                bytes.write("y".repeat(10_000_000).getBytes(StandardCharsets.US_ASCII));
                bytes.write('\n');
            }
        }
        gzip(file, bytes.toByteArray());
        return file;
    }
}
