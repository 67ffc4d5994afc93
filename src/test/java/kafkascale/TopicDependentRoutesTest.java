package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kafkascale.support.RunningApp;
import kafkascale.support.Scrape;
import kafkascale.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a broker that does not have the role's topics yet, its Kafka consumers start only once the
 * topic-setup route has made them: each consumer joins its group once and gets its partitions in that
 * first generation. Before, the group formed on a missing topic with no partitions, and the consumer
 * counted a second rebalance when the topic appeared (a heartbeat later for other members: compute idled
 * at the start of a run in {@code all}); Kafka's own rebalance counter tells the two apart. (Whether the
 * old order lost that race depended on timing: 2 rebalances in a cold {@code all} JVM, often 1 in a warm
 * test JVM; routes.TopicSetupRoutesTest shows the order itself, deterministically.)
 */
class TopicDependentRoutesTest {

    static TestKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void computeJoinsItsGroupOnceWithEveryPartitionOfTheTopicItCreated() throws Exception {
        try (RunningApp compute = start("compute", Map.of(
                "kafka.compute-topic", "dependent-compute",
                "kafka.results-topic", "dependent-compute-results",
                "kafka.compute-group", "dependent-compute",
                "compute.consumers", "1",
                "kafka.compute-partitions", "6"))) {
            Scrape metrics = awaitAssigned(compute, 6);
            assertEquals(1.0, metrics.sum("kafka_consumer_coordinator_rebalance_total", "dependent-compute"),
                    "one generation, with the partitions; a second one means the group formed before the topic existed");
        }
    }

    @Test
    void resultsJoinsOnceAndTurnsReadyOnTheTopicItCreated() throws Exception {
        try (RunningApp results = start("results", Map.of(
                "kafka.results-topic", "dependent-results",
                "kafka.results-group", "dependent-results"))) {
            Scrape metrics = awaitAssigned(results, 1);
            assertEquals(1.0, metrics.sum("kafka_consumer_coordinator_rebalance_total", "dependent-results"));
            // the replay's target is asked of a topic that exists, so readiness follows without a retry
            results.awaitManagement("/observe/health/ready", ready -> ready.statusCode() == 200, Duration.ofSeconds(30));
        }
    }

    /** The role on the test broker, with {@code settings} on top. */
    private static RunningApp start(String role, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("kafka-scale.role", role);
        all.put("kafka.brokers", broker.bootstrapServers());
        return RunningApp.start(all);
    }

    /** Scrapes until the role's consumers hold {@code partitions} partitions (bounded: 60 s). */
    private static Scrape awaitAssigned(RunningApp app, int partitions) throws Exception {
        return new Scrape(app.awaitManagement("/observe/metrics",
                answer -> assignedPartitions(new Scrape(answer.body())) == partitions, Duration.ofSeconds(60)).body());
    }

    private static double assignedPartitions(Scrape metrics) {
        String name = "kafka_consumer_coordinator_assigned_partitions";
        return metrics.has(name) ? metrics.sum(name) : 0;
    }
}
