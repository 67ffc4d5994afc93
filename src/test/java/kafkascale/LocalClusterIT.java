package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import kafkascale.support.LocalCluster;
import kafkascale.support.Oracle;
import kafkascale.support.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment's shape as separate processes (scripts/local-cluster.sh): three compute JVMs share
 * the partitions, every partition is consumed and committed, and the counts are exact.
 */
class LocalClusterIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** /results as year -> code -> count. */
    static Map<String, Map<String, Long>> counts(String resultsUrl) throws Exception {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        JSON.readTree(get(resultsUrl + "/results")).fields().forEachRemaining(year -> {
            Map<String, Long> codes = new TreeMap<>();
            year.getValue().fields().forEachRemaining(c -> codes.put(c.getKey(), c.getValue().get("Count").asLong()));
            out.put(year.getKey(), codes);
        });
        return out;
    }

    static Oracle oracle(Map<String, String> state) throws Exception {
        Oracle oracle = new Oracle();
        for (String file : state.get("CENSUS_FILES").split(",")) {
            oracle.add(Path.of(file), 2019);
        }
        return oracle;
    }

    @Test
    void threeComputeProcessesShareThePartitionsAndCountExactly() throws Exception {
        Map<String, Long> pids;
        try (LocalCluster cluster = LocalCluster.start(work, "--brokers", "1", "--compute", "3",
                "--records-per-month", "12000", "--compute-delay-ms", "10")) {
            Map<String, String> state = cluster.awaitState("COMPLETE", Duration.ofMinutes(8));
            String results = state.get("RESULTS_URL");
            assertEquals(oracle(state).counts(), counts(results), "/results equals the independent count");

            JsonNode offsets = JSON.readTree(get(results + "/admin/offsets?topic=compute"));
            assertEquals(10, offsets.get("partitions").size());
            assertEquals(0, offsets.get("totalLag").asLong());
            for (JsonNode p : offsets.get("partitions")) {
                assertTrue(p.get("logEnd").asLong() > 0, "every partition got chunks: " + p);
                assertEquals(p.get("logEnd").asLong(), p.get("committed").asLong(), "every partition consumed: " + p);
            }
            double total = 0;
            for (String mgmt : state.get("COMPUTE_MGMT").split(" ")) {
                double read = new Scrape(get(mgmt + "/observe/metrics")).sum("kafka_scale_compute_messages_read_total");
                assertTrue(read > 0, mgmt + " did no work");
                total += read;
            }
            assertTrue(total >= 2400, "2 x 12000 records in chunks of 10, redeliveries allowed: " + total);
            pids = cluster.pids();
            assertEquals(6, pids.size(), "broker, results, three compute, reader: " + pids);
        }
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            assertFalse(ProcessHandle.of(p.getValue()).map(ProcessHandle::isAlive).orElse(false), p.getKey() + " still runs");
        }
    }
}
