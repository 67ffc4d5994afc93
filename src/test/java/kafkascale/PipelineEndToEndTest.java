package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.support.TestKafka;
import kafkascale.support.CensusHttpServer;
import kafkascale.support.Oracle;
import kafkascale.support.Progress;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over real HTTP and a real Kafka broker: census-format months served from
 * 127.0.0.1 in every shape the census site has used (.dat.gz, multi-member gzip, CRLF, .zip, CSV with
 * a mixed-case header) next to broken ones (truncated gzip, HTTP 500, 404s). /results must equal an
 * independent count exactly; a second reader run and a restarted results role must change nothing.
 */
class PipelineEndToEndTest {

    @TempDir
    static Path site;
    static TestKafka broker;
    static CensusHttpServer http;
    static Oracle oracle = new Oracle();

    @BeforeAll
    static void serveCensusSite() throws Exception {
        broker = TestKafka.start();
        SampleGenerator generator = new SampleGenerator(42);
        Path y2019 = site.resolve("2019/basic");
        Path y2024 = site.resolve("2024/basic");
        Path y2018 = site.resolve("2018/basic");
        oracle.add(generator.writeMonth(y2019, 2019, 1, 3_001, Shape.DAT_GZ, false), 2019);
        oracle.add(generator.writeMonth(y2019, 2019, 2, 2_500, Shape.DAT_GZ, true), 2019);
        oracle.add(generator.writeMonth(y2019, 2019, 3, 2_000, Shape.ZIP, false), 2019);
        oracle.add(writeWithBadLines(generator, y2019.resolve("apr19pub.dat.gz")), 2019);
        oracle.add(generator.writeMonth(y2024, 2024, 1, 2_000, Shape.CSV, false), 2024);
        oracle.add(writeTwoMembers(generator, y2024.resolve("feb24pub.dat.gz")), 2024);

        Path truncated = generator.writeMonth(y2018, 2018, 1, 3_000, Shape.DAT_GZ, false);
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        generator.writeMonth(y2018, 2018, 2, 500, Shape.DAT_GZ, false);

        http = new CensusHttpServer(site);
        http.failing.add("/2018/basic/feb18pub.dat.gz");
    }

    @AfterAll
    static void stop() {
        http.close();
        broker.close();
    }

    @Test
    void countsExactlyThroughReRunsAndRestarts() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.brokers", broker.bootstrapServers());
        settings.put("census.years", "2018,2019,2024");
        settings.put("census.months", "jan,feb,mar,apr");
        settings.put("census.url-templates", http.templates());
        settings.put("read.chunk-lines", "10");
        settings.put("read.batch-chunks", "37");

        Map<String, Map<String, Long>> expected = oracle.counts();
        String firstRun;
        try (RunningApp all = RunningApp.start(withRole(settings, "all"))) {
            JsonNode progress = all.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(120));
            firstRun = progress.get("runId").asText();
            assertEquals(expected, all.counts(), "/results must equal the independent count");

            assertEquals("failed", Progress.outcome(progress, "jan18pub").get("status").asText());
            assertTrue(Progress.outcome(progress, "jan18pub").get("error").asText().startsWith("truncated"), progress.toString());
            assertEquals("failed", Progress.latestAttempt(progress, "2018-01").get("status").asText(), "a failed attempt at 2018-01");
            assertEquals("failed", Progress.outcome(progress, "feb18pub").get("status").asText());
            assertTrue(Progress.outcome(progress, "feb18pub").get("error").asText().startsWith("http-500"), progress.toString());
            assertEquals("missing", Progress.outcome(progress, "mar18pub").get("status").asText());
            assertEquals("counted", Progress.month(progress, "2019-01").get("status").asText());
            assertEquals(301, Progress.latestAttempt(progress, "2019-01").get("chunksCounted").asLong(), "3001 records in chunks of 10");
            JsonNode rejected = Progress.month(progress, "2019-04").get("counted").get("rejected");
            assertEquals(1, rejected.get("short-line").asLong());
            assertEquals(1, rejected.get("unknown-code").asLong());
            assertEquals(1, rejected.get("garbled-code").asLong());

            MeterRegistry metrics = all.main.getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            assertEquals(1.0, metrics.counter("kafka_scale_download_errors", "reason", "truncated").count());
            assertEquals(1.0, metrics.counter("kafka_scale_download_errors", "reason", "http-500").count());
            assertTrue(metrics.counter("kafka_scale_download_errors", "reason", "http-404").count() >= 4);
            assertEquals(3.0, metrics.counter("kafka_scale_records_rejected", "reason", "short-line").count()
                    + metrics.counter("kafka_scale_records_rejected", "reason", "unknown-code").count()
                    + metrics.counter("kafka_scale_records_rejected", "reason", "garbled-code").count());
            assertEquals(404, all.get("/results/1999").statusCode());
            // compute commits only what it has answered for: once all is counted, nothing is left behind
            all.await("/admin/offsets?topic=compute", o -> o.path("totalLag").asLong(-1) == 0
                    && o.path("totalCommitted").asLong() > 0, Duration.ofSeconds(30));
            assertEquals(expected.get("2024").get("1"), all.json("/results/2024").get("1").get("Count").asLong());
            // `all` runs two compute consumers (role.compute-consumers.all), both members of the compute group
            all.await("/scaling", s -> s.at("/current/memberCount").asInt() == 2, Duration.ofSeconds(30));
        }

        // Read the same months again with separate read, compute and results roles: the results
        // role rebuilds from the results topic and the re-read chunks are recognised, not re-counted.
        try (RunningApp results = RunningApp.start(withRole(settings, "results"));
             RunningApp compute = RunningApp.start(withRole(settings, "compute"));
             RunningApp reader = RunningApp.start(withRole(settings, "read"))) {
            JsonNode progress = results.await("/progress",
                    p -> p.path("complete").asBoolean() && !p.path("runId").asText().equals(firstRun),
                    Duration.ofSeconds(120));
            assertNotEquals(firstRun, progress.get("runId").asText());
            assertEquals(expected, results.counts(), "a second reader run must not change the counts");
            // the same records again: recognised by their digest, the counted generation unchanged
            assertEquals("unchanged", Progress.latestAttempt(progress, "2019-01").get("status").asText(), progress.toString());
            // a compute JVM runs one consumer (it scales by replicas)
            results.await("/scaling", s -> s.at("/current/memberCount").asInt() == 1, Duration.ofSeconds(30));
        }

        // And a results role started cold rebuilds the same counts from the topic alone.
        try (RunningApp results = RunningApp.start(withRole(settings, "results"))) {
            results.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(60));
            assertEquals(expected, results.counts(), "a restarted results role must rebuild the same counts");
        }
    }

    private static Map<String, String> withRole(Map<String, String> settings, String role) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put("kafka-scale.role", role);
        copy.put("read.exit-when-done", "false");
        return copy;
    }

    /** A month with a short line, an unknown code (99) and a garbled code among good records. */
    private static Path writeWithBadLines(SampleGenerator generator, Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            text.append(generator.fixedWidthRecord(String.format("%015d", i), 2019, 4, i % 13)).append('\n');
            if (i == 10) {
                text.append("too short to hold a code\n");
            } else if (i == 20) {
                text.append(generator.fixedWidthRecord("000000000000020", 2019, 4, 99)).append('\n');
            } else if (i == 30) {
                String line = generator.fixedWidthRecord("000000000000030", 2019, 4, 1);
                text.append(line, 0, 30).append("x?").append(line.substring(32)).append('\n');
            }
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** Two gzip members back to back, as `cat a.gz b.gz` makes: one stream to gunzip. */
    private static Path writeTwoMembers(SampleGenerator generator, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int member = 0; member < 2; member++) {
            try (OutputStream gz = new GZIPOutputStream(bytes) {
                @Override
                public void close() throws IOException {
                    finish(); // end the member, keep the shared stream open
                }
            }) {
                for (int i = 0; i < 700; i++) {
                    gz.write((generator.fixedWidthRecord(String.format("%015d", i), 2024, 2, (i * 7 + member) % 13) + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
        return file;
    }
}
