package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.support.TestKafka;
import kafkascale.support.PrometheusServer;
import kafkascale.support.RunningApp;
import kafkascale.support.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics, health and console on Camel's management port after a real end-to-end run, and the
 * Grafana dashboard checked against a real scrape: every metric a panel names must be exported.
 */
class ObservabilityTest {

    private static final int RECORDS_PER_MONTH = 1_234;

    @TempDir
    static Path data;
    static TestKafka broker;
    static RunningApp app;
    static Scrape scrape;
    static int consolePort;

    @BeforeAll
    static void runPipeline() throws Exception {
        broker = TestKafka.start();
        SampleGenerator generator = new SampleGenerator(3);
        Path jan = generator.writeMonth(data, 2019, 1, RECORDS_PER_MONTH, Shape.DAT_GZ, false);
        Path feb = generator.writeMonth(data, 2019, 2, RECORDS_PER_MONTH, Shape.DAT_GZ, false);
        consolePort = RunningApp.freePort();
        app = RunningApp.start(Map.of(
                "kafka.brokers", broker.bootstrapServers(),
                "kafka.compute-topic", "obs-compute",
                "kafka.results-topic", "obs-results",
                "census.files", jan + "," + feb,
                // the developer console, on loopback only (docs/security.md)
                "management.console-enabled", "true",
                "management.console-port", Integer.toString(consolePort)));
        app.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(90));
        app.get("/results");
        // Per-partition lag appears once the client's metrics are next bound (every few seconds).
        for (int i = 0; i < 100; i++) {
            scrape = new Scrape(app.management("/observe/metrics").body());
            if (scrape.has("kafka_consumer_fetch_manager_records_lag")) {
                break;
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    @Test
    void pipelineCountersAgreeWithEachOther() {
        double chunks = Math.ceil(RECORDS_PER_MONTH / 10.0) * 2;
        assertEquals(chunks, scrape.sum("kafka_scale_chunks_written_total"));
        assertEquals(chunks, scrape.sum("kafka_scale_compute_messages_read_total"));
        assertEquals(chunks, scrape.sum("kafka_scale_result_messages_written_total"));
        assertEquals(chunks, scrape.sum("kafka_scale_result_chunks_total", "outcome=\"counted\""));
        assertEquals(chunks + 6, scrape.sum("kafka_scale_result_messages_read_total"),
                "chunks, and a run started and finished, two attempts started and finished");
        assertEquals(2 * RECORDS_PER_MONTH, scrape.sum("kafka_scale_records_read_total"));
        assertEquals(2, scrape.sum("kafka_scale_downloaded_gzips_total"));
        assertTrue(scrape.sum("kafka_scale_downloaded_bytes_total") > 1_000);
        assertEquals(0, scrape.sum("kafka_scale_records_rejected_total"));
        assertEquals(0, scrape.sum("kafka_scale_download_errors_total"));
        assertEquals(1, scrape.sum("kafka_scale_results_served_total"));
        assertEquals(chunks, scrape.sum("kafka_scale_compute_chunk_seconds_count"));
        assertEquals(chunks, scrape.sum("kafka_scale_chunk_latency_seconds_count"));
        assertTrue(scrape.has("kafka_scale_chunk_latency_seconds_bucket"));
        assertEquals(1, scrape.sum("kafka_scale_role", "role=\"all\""));
    }

    @Test
    void kafkaClientAndRouteMetricsAreExported() {
        assertTrue(scrape.has("kafka_consumer_fetch_manager_records_lag_max"));
        assertEquals(0, scrape.sum("kafka_consumer_fetch_manager_records_lag", "topic=\"obs-compute\""),
                "all chunks consumed");
        assertTrue(scrape.has("kafka_consumer_fetch_manager_records_consumed_rate"));
        assertTrue(scrape.has("kafka_consumer_fetch_manager_fetch_rate"));
        assertTrue(scrape.has("kafka_producer_record_send_rate"));
        assertTrue(scrape.sum("camel_exchanges_total", "routeId=\"compute-chunk\"") > 0);
        assertTrue(scrape.sum("camel_exchanges_total", "routeId=\"read-chunks\"") >= 2);
        assertTrue(scrape.sum("jvm_memory_used_bytes", "area=\"heap\"") > 0);
    }

    @Test
    void healthAndConsoleAreServed() throws Exception {
        HttpResponse<String> ready = app.management("/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("UP"));
        assertEquals(200, app.management("/observe/health/live").statusCode());
        HttpResponse<String> full = app.management("/observe/health?exposureLevel=full");
        assertTrue(full.body().contains("consumer:compute-chunk"), full.body());
        assertEquals(404, app.management("/q/dev/route").statusCode(), "no console on the management port");
        HttpResponse<String> routes = app.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + consolePort + "/q/dev/route")).GET());
        assertEquals(200, routes.statusCode());
        assertTrue(routes.body().contains("compute-chunk") && routes.body().contains("read-download"), routes.body());
    }

    @Test
    void everyMetricTheDashboardNamesIsExported() throws Exception {
        Set<String> missing = new TreeSet<>(dashboardMetricNames());
        missing.removeIf(name -> scrape.has(name));
        assertEquals(Set.of(), missing, "dashboard metrics not in a real scrape");
    }

    /**
     * A real Prometheus (Debian's package; installed here when running as root and missing) scrapes
     * the app, and every panel query of the dashboard must return data through its HTTP API.
     */
    @Test
    void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(app.managementPort, data.resolve("prometheus"))) {
            prometheus.awaitScrapes(3);
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("dashboards/kafka-scale.json")));
            List<String> empty = new ArrayList<>();
            for (String expr : expressions(dashboard)) {
                // the dashboard's variables as Grafana fills them; this Prometheus adds no namespace label
                String query = expr.replace("$__rate_interval", "30s").replace("$compute_topic", "obs-compute")
                        .replace("$compute_group", "kafka-scale-compute").replace("$namespace", "").replace("$job", "kafka-scale");
                if (prometheus.query(query).size() == 0) {
                    empty.add(query);
                }
            }
            assertEquals(List.of(), empty, "panel queries without data");
        }
    }

    /** Metric names in every PromQL expression of dashboards/kafka-scale.json. */
    static Set<String> dashboardMetricNames() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("dashboards/kafka-scale.json")));
        Set<String> names = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            String withoutLabels = expr.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^]]*]", "[]")
                    .replaceAll("by \\([^)]*\\)", "").replaceAll("\"[^\"]*\"", "");
            Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(withoutLabels);
            while (m.find()) {
                String token = m.group();
                boolean function = withoutLabels.startsWith("(", m.end());
                if (!function && token.contains("_") && !token.startsWith("__")) {
                    names.add(token);
                }
            }
        }
        assertTrue(names.size() >= 10, "expected the dashboard to name its metrics, found " + names);
        return names;
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        return out;
    }
}
