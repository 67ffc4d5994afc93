package kafkascale.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import kafkascale.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sampler against a real in-JVM broker with two real consumers in a group: members, partitions,
 * offsets, rate, lag and gauges as Kafka has them; a member leaving; then the broker gone.
 */
class ComputeGroupSamplerTest {

    static final String TOPIC = "scaling-sampler";
    static final String GROUP = "scaling-sampler-group";
    static final int PARTITIONS = 4;

    /** A clock the test moves, so the rates are exact. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A real consumer in the group that commits what it polled. */
    static final class Worker implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final Thread thread;
        volatile boolean running = true;

        Worker(String bootstrap, String clientId) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            thread = new Thread(() -> {
                try {
                    consumer.subscribe(List.of(TOPIC));
                    while (running) {
                        if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                } catch (WakeupException stopping) {
                    // close() asked
                } finally {
                    consumer.close(Duration.ofSeconds(2));
                }
            }, "worker-" + clientId);
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
    void seesTheGroupAsKafkaHasItAndSurvivesTheBrokerGoing() throws Exception {
        TestClock clock = new TestClock();
        MeterRegistry meters = new SimpleMeterRegistry();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
        String bootstrap = broker.bootstrapServers();
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "1500");
        ScalingWindow window = new ScalingWindow(Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(10));
        List<Worker> workers = new ArrayList<>();
        try (Admin admin = Admin.create(adminProps);
             ComputeGroupSampler sampler = new ComputeGroupSampler(() -> Admin.create(adminProps), TOPIC, GROUP,
                     Duration.ofMillis(1500), window, clock, () -> meters)) {

            sampler.sample();
            ScalingView view = sampler.view();
            assertEquals("empty", view.status(), "no topic, no group: " + view);
            assertEquals(0, view.current().partitions());

            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(bootstrap, 10);
            sampler.sample();
            view = sampler.view();
            assertEquals(PARTITIONS, view.current().partitions());
            assertEquals(40, view.current().lag(), "nothing committed: every record is lag");

            workers.add(new Worker(bootstrap, "worker-a"));
            workers.add(new Worker(bootstrap, "worker-b"));
            view = sampleUntil(sampler, clock, v -> "ok".equals(v.status()) && v.current().memberCount() == 2
                    && v.current().committed() == 40);
            ScalingView.Current now = view.current();
            assertEquals(List.of("worker-a", "worker-b"), now.members().stream().map(ScalingView.Member::label).toList());
            assertEquals(List.of("worker-a", "worker-b"), now.members().stream().map(ScalingView.Member::clientId).toList());
            assertEquals("127.0.0.1", now.members().get(0).host());
            assertDisjointAndCovering(now.members());
            assertEquals(0, now.lag());
            assertEquals(40, now.logEnd());
            ScalingView.Event last = view.events().get(view.events().size() - 1);
            now.members().forEach(m -> assertEquals(m.partitions(), last.assignment().get(m.label()), last.text()));

            // 20 s on, then 20 more records committed in 8 s: the rate span (10 s) holds just these two samples
            clock.millis.addAndGet(20_000);
            sampler.sample();
            produce(bootstrap, 5);
            awaitCommitted(admin, 60);
            clock.millis.addAndGet(8_000);
            sampler.sample();
            view = sampler.view();
            assertEquals(60, view.current().committed());
            assertEquals(2.5, view.current().chunksPerSecond());
            double memberSum = view.current().members().stream().mapToDouble(ScalingView.Member::chunksPerSecond).sum();
            assertEquals(2.5, memberSum, 0.011 * 2, "the members' rates add up to the group's (each rounded to 0.01)");
            assertEquals(2.0, meters.get(ComputeGroupSampler.MEMBERS_METER).gauge().value());
            assertEquals(2.5, meters.get(ComputeGroupSampler.RATE_METER).gauge().value());
            assertEquals(0.0, meters.get(ComputeGroupSampler.LAG_METER).gauge().value());

            workers.remove(1).close();
            view = sampleUntil(sampler, clock, v -> "ok".equals(v.status()) && v.current().memberCount() == 1
                    && v.current().members().get(0).partitions().size() == PARTITIONS);
            ScalingView.Event left = view.events().get(view.events().size() - 1);
            assertEquals("left", left.kind());
            assertEquals("worker-b left: 4 partitions → 4", left.text());

            broker.close();
            broker = null;
            long start = System.nanoTime();
            clock.millis.addAndGet(2_000);
            sampler.sample(); // must not throw
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by the call timeout");
            view = sampler.view();
            assertEquals("unavailable", view.status());
            assertTrue(view.error() != null && !view.error().isBlank());
            assertTrue(view.current().stale());
            assertEquals(List.of("worker-a"), view.current().members().stream().map(ScalingView.Member::label).toList(),
                    "the last members stay on show");
            assertTrue(Double.isNaN(meters.get(ComputeGroupSampler.MEMBERS_METER).gauge().value()));
            clock.millis.addAndGet(2_000);
            sampler.sample();
            assertEquals("unavailable", sampler.view().status());
        } finally {
            for (Worker w : workers) {
                w.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    static void produce(String bootstrap, int perPartition) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k", "chunk " + i));
                }
            }
            producer.flush();
        }
    }

    static void awaitCommitted(Admin admin, long total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().mapToLong(o -> o.offset()).sum();
            if (seen == total) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("committed " + seen + ", expected " + total);
    }

    /** Samples (2 s apart on the test clock) until the view passes {@code done}. */
    static ScalingView sampleUntil(ComputeGroupSampler sampler, TestClock clock, Predicate<ScalingView> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ScalingView view = null;
        while (System.nanoTime() < deadline) {
            clock.millis.addAndGet(2_000);
            sampler.sample();
            view = sampler.view();
            if (done.test(view)) {
                return view;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never reached: " + view);
    }

    static void assertDisjointAndCovering(List<ScalingView.Member> members) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (ScalingView.Member m : members) {
            for (int p : m.partitions()) {
                assertTrue(seen.add(p), "partition " + p + " owned twice: " + members);
            }
        }
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3)), seen, "every partition owned: " + members);
        assertTrue(members.stream().allMatch(m -> !m.partitions().isEmpty()), "both members work: " + members);
    }
}
