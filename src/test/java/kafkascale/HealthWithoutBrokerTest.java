package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.Test;

/** A role whose broker is unreachable starts, says it is alive, and is not ready. */
class HealthWithoutBrokerTest {

    @Test
    void notReadyWhileTheBrokerIsUnreachable() throws Exception {
        int nobodyListens = RunningApp.freePort();
        try (RunningApp results = RunningApp.start(Map.of(
                "kafka-scale.role", "results",
                "kafka.brokers", "127.0.0.1:" + nobodyListens,
                "kafka.broker-wait-seconds", "5"))) {
            HttpResponse<String> ready = results.awaitManagement("/observe/health/ready",
                    answer -> answer.statusCode() == 503, Duration.ofSeconds(10));
            assertTrue(ready.body().contains("DOWN"), ready.body());
            assertEquals(200, results.management("/observe/health/live").statusCode());
        }
    }
}
