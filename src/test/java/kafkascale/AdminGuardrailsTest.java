package kafkascale;

import static kafkascale.AdminTest.json;
import static kafkascale.AdminTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafkascale.support.TestKafka;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.Test;

/** Admin routes with no token configured, and with the broker out of reach. */
class AdminGuardrailsTest {

    @Test
    void withNoTokenConfiguredChangesAreForbiddenAndNothingChanges() throws Exception {
        try (TestKafka broker = TestKafka.start();
             RunningApp app = RunningApp.start(Map.of(
                     "kafka-scale.role", "results",
                     "kafka.brokers", broker.bootstrapServers(),
                     "kafka.results-topic", "guard-results",
                     "admin.token", ""))) {
            app.await("/progress", p -> true, Duration.ofSeconds(30));
            HttpResponse<String> forbidden = request(app, "POST", "/admin/topics", "anything",
                    "{\"name\":\"guard-sneaky\",\"partitions\":1}");
            assertEquals(403, forbidden.statusCode());
            assertTrue(forbidden.body().contains("ADMIN_TOKEN"));
            assertEquals(403, request(app, "DELETE", "/admin/topics/guard-results?force=true", null, null).statusCode());
            assertEquals(403, request(app, "POST", "/admin/topics/guard-results/partitions", null, "{\"partitions\":3}").statusCode());

            List<String> names = new ArrayList<>();
            json(request(app, "GET", "/admin/topics", null, null)).forEach(t -> names.add(t.get("name").asText()));
            assertTrue(names.contains("guard-results"), names.toString());
            assertTrue(!names.contains("guard-sneaky"), names.toString());
            assertEquals(1, json(request(app, "GET", "/admin/topics/guard-results", null, null)).get("partitions").size());
        }
    }

    @Test
    void unreachableBrokerIsA503WithinBoundedTime() throws Exception {
        try (RunningApp orphan = RunningApp.start(Map.of(
                "kafka-scale.role", "results",
                "kafka.brokers", "127.0.0.1:" + RunningApp.freePort(),
                "admin.timeout-ms", "2000"))) {
            orphan.await("/progress", p -> true, Duration.ofSeconds(30));
            long start = System.nanoTime();
            HttpResponse<String> answer = request(orphan, "GET", "/admin/topics", null, null);
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(json(answer).get("error").asText().contains("did not answer"), answer.body());
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "bounded time");
        }
    }
}
