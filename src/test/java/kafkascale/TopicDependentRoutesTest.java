package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.kafka.KafkaClientSettings;
import kafkascale.kafka.KafkaSecurity;
import kafkascale.kafka.KafkaTopics;
import kafkascale.support.Oracle;
import kafkascale.support.RunningApp;
import kafkascale.support.Scrape;
import kafkascale.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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

    /**
     * In {@code all} the reader starts once the JVM's own consumers own every partition (as compute pods
     * do before a reader Job): here a member the test holds in the compute group stops polling while the
     * group rebalances, so the group cannot settle when {@code all}'s consumers join, and no run may start
     * until the test's members leave; then the run counts exactly what an independent count does.
     */
    @Test
    void allReadsOnlyOnceItsOwnConsumersOwnEveryPartition(@TempDir Path data) throws Exception {
        String topic = "dependent-all-c", group = "dependent-all-c";
        new KafkaTopics(new KafkaClientSettings(broker.bootstrapServers(), KafkaSecurity.plaintext(), Duration.ofSeconds(30)))
                .ensure(topic, 4, (short) 1);
        Path month = new SampleGenerator(7).writeMonth(data, 2019, 1, 2_000, Shape.DAT_GZ, false);
        Map<String, Map<String, Long>> expected = new Oracle().add(month, 2019).counts();
        StalledMember member = new StalledMember(topic, group);
        try {
            try (RunningApp all = start("all", Map.of(
                    "kafka.compute-topic", topic,
                    "kafka.compute-group", group,
                    "kafka.results-topic", "dependent-all-r",
                    "kafka.results-group", "dependent-all-r",
                    "census.files", month.toString()))) {
                // the app's consumers have joined (the group waits for the stalled member), and stay waiting
                Thread.sleep(3_000);
                JsonNode waiting = all.json("/progress");
                assertTrue(waiting.path("runs").isEmpty() && !waiting.hasNonNull("runStartedAt"),
                        "no run may start while the compute group is rebalancing: " + waiting);

                member.leave();
                all.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(60));
                assertEquals(expected, all.counts(), "/results must equal the independent count");
            }
        } finally {
            member.leave();
        }
    }

    /**
     * A member of the group that owns its partitions and then stops polling, and a second one that joins
     * (polling on its own thread), so the group is mid-rebalance, waiting for the first, before the app
     * starts: the app's reader cannot see a settled group by racing its own consumers' join.
     */
    static final class StalledMember {
        final KafkaConsumer<byte[], byte[]> consumer;
        final KafkaConsumer<byte[], byte[]> joiner;
        final Thread joining;
        volatile boolean running = true;
        boolean left;

        StalledMember(String topic, String group) throws Exception {
            consumer = new KafkaConsumer<>(consumerProps(group));
            consumer.subscribe(List.of(topic));
            for (int i = 0; i < 300 && consumer.assignment().isEmpty(); i++) { // bounded: 30 s
                consumer.poll(Duration.ofMillis(100));
            }
            assertEquals(4, consumer.assignment().size(), "the test's member owns the topic before the app starts");
            // from here it does not poll: a rebalance waits for it (up to max.poll.interval.ms, 5 minutes)
            joiner = new KafkaConsumer<>(consumerProps(group));
            joining = new Thread(() -> {
                try {
                    joiner.subscribe(List.of(topic));
                    while (running) {
                        joiner.poll(Duration.ofMillis(100));
                    }
                } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                    // leave() asked
                } finally {
                    joiner.close(Duration.ofSeconds(5));
                }
            }, "test-joiner");
            joining.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                for (int i = 0; i < 600; i++) { // bounded: 30 s
                    var state = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().state();
                    if (state == ConsumerGroupState.PREPARING_REBALANCE) {
                        return;
                    }
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("the group never started rebalancing");
        }

        private static Properties consumerProps(String group) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
            return props;
        }

        /** Both of the test's members leave the group, so the app's consumers take every partition. */
        void leave() throws InterruptedException {
            if (!left) {
                left = true;
                running = false;
                joiner.wakeup();
                joining.join(10_000);
                consumer.close(Duration.ofSeconds(5));
            }
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
