package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kafkascale.kafka.EmbeddedKafkaBroker;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routes that read the role's topics start only once the topic-setup route has made them: while
 * the broker is not there, they stay stopped (a consumer group formed then would get no partitions);
 * once a real broker comes up at the configured address, the topics are made and the routes start.
 */
class TopicSetupRoutesTest extends RouteTestSupport {

    private static final int BROKER_PORT = freePort();
    private static final List<String> TOPIC_READERS = List.of("compute-chunk", "results-count", "results-replay-target");

    private EmbeddedKafkaBroker broker;

    @Override
    String routes() {
        return "routes/TopicSetupRoutes,routes/ComputeRoutes,routes/ResultsRoutes";
    }

    @Override
    Map<String, String> settings() {
        // the topic-setup route's admin client talks to a real broker, started by the test
        return Map.of("resolved.brokers", "127.0.0.1:" + BROKER_PORT);
    }

    @Override
    boolean startTopicDependentRoutes() {
        return false;
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theTopicReadersStartOnceTheTopicsExist() throws Exception {
        assertStatus(ServiceStatus.Stopped, "no broker yet, so no topics");
        Thread.sleep(1_000);
        assertStatus(ServiceStatus.Stopped, "no broker yet, so no topics");

        broker = EmbeddedKafkaBroker.start(BROKER_PORT);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!TOPIC_READERS.stream().allMatch(this::started) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertStatus(ServiceStatus.Started, "the topic-setup route made the topics");
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var names = admin.listTopics().names().get();
            assertTrue(names.containsAll(List.of("compute", "results")), names.toString());
        }
    }

    private boolean started(String routeId) {
        return context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
    }

    private void assertStatus(ServiceStatus expected, String why) {
        for (String id : TOPIC_READERS) {
            assertEquals(expected, context.getRouteController().getRouteStatus(id), id + ": " + why);
        }
    }
}
