package kafkascale.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumers that start before their topic exists, on a real in-JVM broker: with Camel's default
 * subscription the group forms with no partitions (the delay `all` had), with the app's it waits and
 * gets every partition in its first assignment; the wait ends at its bound.
 */
class WaitForTopicsSubscribeAdapterTest {

    static final int PARTITIONS = 4;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A consumer on its own thread: subscribes through the adapter, then polls until it has partitions. */
    static final class Member implements AutoCloseable {
        final List<Collection<TopicPartition>> assignments = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> firstAssignment = new CompletableFuture<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Member(String group, String topic, SubscribeAdapter adapter) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignments.add(new ArrayList<>(partitions));
                    firstAssignment.complete(null);
                }
            };
            thread = new Thread(() -> {
                adapter.subscribe(consumer, listener, new TopicInfo(null, topic));
                subscribed.complete(null);
                for (int i = 0; i < 600 && running; i++) { // bounded: at most a minute of polls
                    consumer.poll(Duration.ofMillis(100));
                }
                consumer.close(Duration.ofSeconds(5));
            }, "member-" + group);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }
    }

    static void createTopic(String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withCamelsDefaultTheGroupFormsWithoutPartitionsBeforeTheTopicExists() throws Exception {
        // the control: what happened in `all` before (the test would pass with either adapter otherwise)
        try (Member member = new Member("default-group", "late-default", new DefaultSubscribeAdapter())) {
            member.firstAssignment.get(60, TimeUnit.SECONDS);
            createTopic("late-default");
            assertEquals(List.of(), List.copyOf(member.assignments.get(0)), "the first assignment, made before the topic existed");
        }
    }

    @Test
    void subscribesOnceTheTopicExistsAndGetsEveryPartitionAtOnce() throws Exception {
        try (Member member = new Member("waiting-group", "late", new WaitForTopicsSubscribeAdapter(Duration.ofSeconds(60)))) {
            Thread.sleep(500);
            assertTrue(!member.subscribed.isDone(), "subscribed before its topic existed");
            createTopic("late");
            member.firstAssignment.get(60, TimeUnit.SECONDS);
            assertEquals(PARTITIONS, member.assignments.get(0).size(), "the first assignment: " + member.assignments);
            assertEquals(Set.of("late"), Set.copyOf(member.assignments.get(0).stream().map(TopicPartition::topic).toList()));
        }
    }

    @Test
    void subscribesAnywayWhenTheTopicDoesNotAppearInTime() throws Exception {
        try (Member member = new Member("bounded-group", "never", new WaitForTopicsSubscribeAdapter(Duration.ofSeconds(1)))) {
            // the consumer is not stuck: it subscribes (as Camel's default would) and its group forms without the topic
            member.subscribed.get(30, TimeUnit.SECONDS);
            member.firstAssignment.get(60, TimeUnit.SECONDS);
            assertEquals(List.of(), List.copyOf(member.assignments.get(0)));
        }
    }
}
