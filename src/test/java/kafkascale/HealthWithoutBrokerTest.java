package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
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
            HttpResponse<String> ready = null;
            for (int i = 0; i < 50; i++) {
                ready = results.management("/observe/health/ready");
                if (ready.statusCode() == 503) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("DOWN"), ready.body());
            assertEquals(200, results.management("/observe/health/live").statusCode());
        }
    }
}
