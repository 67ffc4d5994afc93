package kafkascale.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kafkascale.kafka.ConsumerGroupsReady.GroupTopic;
import kafkascale.support.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wait `all`'s reader makes for its own consumer groups, on a real broker with real consumers: it
 * holds while a member stalls a rebalance, opens once the group is Stable with every partition owned,
 * and gives up after its bound when nobody joins.
 */
class ConsumerGroupsReadyTest {

    static final int PARTITIONS = 4;
    static TestKafka broker;
    static KafkaTopics kafka;

    @BeforeAll
    static void startBroker() {
        broker = TestKafka.start();
        kafka = new KafkaTopics(new KafkaClientSettings(broker.bootstrapServers(), KafkaSecurity.plaintext(), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A real group member polling on its own thread; it can be told to stop polling for a while. */
    static final class Member implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final Thread thread;
        final Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean running = true;
        volatile boolean stalled;
        /** When it last started polling again after a stall (nanoTime), 0 before. */
        final AtomicLong resumedAt = new AtomicLong();

        Member(String group, String topic, String clientId) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            thread = new Thread(() -> {
                try {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            partitions.forEach(p -> owned.remove(p.partition()));
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            partitions.forEach(p -> owned.add(p.partition()));
                        }
                    });
                    boolean wasStalled = false;
                    while (running) {
                        if (stalled) {
                            wasStalled = true;
                            Thread.sleep(20);
                            continue;
                        }
                        if (wasStalled) {
                            resumedAt.set(System.nanoTime());
                            wasStalled = false;
                        }
                        consumer.poll(Duration.ofMillis(50));
                    }
                } catch (WakeupException | InterruptedException stopping) {
                    // close() asked
                } finally {
                    consumer.close(Duration.ofSeconds(2));
                }
            }, "member-" + clientId);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    @Test
    void holdsWhileAMemberStallsTheRebalanceAndOpensOnceEveryPartitionIsOwned() throws Exception {
        String topic = "ready-stalled", group = "ready-stalled-group";
        kafka.ensure(topic, PARTITIONS, (short) 1);
        ConsumerGroupsReady ready = new ConsumerGroupsReady(kafka, List.of(new GroupTopic(group, topic)), Duration.ofSeconds(60));
        try (Member first = new Member(group, topic, "first")) {
            awaitOwned(Set.of(first), PARTITIONS);
            // the first member stops polling, then a second joins: the group cannot settle without the first
            first.stalled = true;
            try (Member second = new Member(group, topic, "second")) {
                awaitState(group, ConsumerGroupState.PREPARING_REBALANCE);
                CompletableFuture<Boolean> opened = CompletableFuture.supplyAsync(() -> {
                    try {
                        return ready.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(1_500);
                assertFalse(opened.isDone(), "the group is rebalancing while a member stalls: the reader must wait");

                first.stalled = false;
                assertTrue(opened.get(30, TimeUnit.SECONDS), "opens once the group has settled");
                long openedAt = System.nanoTime();
                assertTrue(first.resumedAt.get() != 0 && first.resumedAt.get() < openedAt);
                // what Kafka says right after it opened: Stable, every partition owned, by both members
                ConsumerGroupDescription group1 = describe(group);
                assertEquals(ConsumerGroupState.STABLE, group1.state());
                Set<Integer> owned = new HashSet<>();
                for (MemberDescription m : group1.members()) {
                    m.assignment().topicPartitions().forEach(p -> owned.add(p.partition()));
                }
                assertEquals(Set.of(0, 1, 2, 3), owned);
                assertEquals(2, group1.members().size());
            }
        }
    }

    @Test
    void opensAtOnceForASettledGroupAndAtOnceWithNoGroups() throws Exception {
        String topic = "ready-settled", group = "ready-settled-group";
        kafka.ensure(topic, PARTITIONS, (short) 1);
        try (Member a = new Member(group, topic, "a"); Member b = new Member(group, topic, "b")) {
            awaitOwned(Set.of(a, b), PARTITIONS);
            long started = System.nanoTime();
            assertTrue(new ConsumerGroupsReady(kafka, List.of(new GroupTopic(group, topic)), Duration.ofSeconds(60)).await());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
        }
        assertTrue(new ConsumerGroupsReady(kafka, List.of(), Duration.ofSeconds(60)).await(), "a reader alone waits for nobody");
    }

    @Test
    void givesUpAfterItsBoundWhenNobodyJoins() throws Exception {
        String topic = "ready-empty";
        kafka.ensure(topic, PARTITIONS, (short) 1);
        long started = System.nanoTime();
        assertFalse(new ConsumerGroupsReady(kafka, List.of(new GroupTopic("ready-nobody", topic)), Duration.ofSeconds(1)).await());
        long waited = System.nanoTime() - started;
        assertTrue(waited >= TimeUnit.SECONDS.toNanos(1) && waited < TimeUnit.SECONDS.toNanos(15), waited + " ns");
    }

    @Test
    void namesWhatIsMissing() {
        GroupTopic compute = new GroupTopic("g", "t");
        assertTrue(ConsumerGroupsReady.missing(compute, ConsumerGroupState.STABLE, List.of(0, 1, 2), 3).isEmpty());
        assertEquals("no member of group g owns partitions [2] of t",
                ConsumerGroupsReady.missing(compute, ConsumerGroupState.STABLE, List.of(0, 1), 3).orElseThrow());
        assertEquals("group g is CompletingRebalance",
                ConsumerGroupsReady.missing(compute, ConsumerGroupState.COMPLETING_REBALANCE, List.of(0, 1, 2), 3).orElseThrow());
        assertEquals("topic t has no partitions yet",
                ConsumerGroupsReady.missing(compute, ConsumerGroupState.STABLE, List.of(), 0).orElseThrow());
    }

    private static void awaitOwned(Set<Member> members, int partitions) throws InterruptedException {
        for (int i = 0; i < 600; i++) { // bounded: 30 s
            Set<Integer> owned = new HashSet<>();
            members.forEach(m -> owned.addAll(m.owned));
            if (owned.size() == partitions && members.stream().allMatch(m -> !m.owned.isEmpty())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the members never owned every partition");
    }

    private static void awaitState(String group, ConsumerGroupState state) throws Exception {
        for (int i = 0; i < 600; i++) { // bounded: 30 s
            if (describe(group).state() == state) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("group " + group + " never reached " + state);
    }

    private static ConsumerGroupDescription describe(String group) throws Exception {
        try (Admin admin = kafka.newAdmin()) {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
        }
    }
}
