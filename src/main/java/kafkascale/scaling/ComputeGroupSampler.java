package kafkascale.scaling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the compute consumer group through Kafka's AdminClient — members with their client ids,
 * hosts and partitions, committed offsets, end offsets — and feeds each look into a
 * {@link ScalingWindow}. Meant to be called every couple of seconds: it never throws; when Kafka
 * does not answer within {@code callTimeout} the sample is marked unavailable and the window keeps
 * the samples it has.
 *
 * <p>Also the source of three gauges (registered once a meter registry is there):
 * {@value #MEMBERS_METER}, {@value #RATE_METER}, {@value #LAG_METER}; NaN while Kafka is unreachable.
 */
public final class ComputeGroupSampler implements AutoCloseable {

    public static final String MEMBERS_METER = "kafka_scale_compute_group_members";
    public static final String RATE_METER = "kafka_scale_compute_group_chunks_per_second";
    public static final String LAG_METER = "kafka_scale_compute_group_lag";

    private static final Logger LOG = LoggerFactory.getLogger(ComputeGroupSampler.class);
    /** After this many failed samples in a row the admin client is replaced, in case it is stuck. */
    private static final int FAILURES_BEFORE_NEW_CLIENT = 5;

    private final Supplier<Admin> adminFactory;
    private final String topic;
    private final String group;
    private final long callTimeoutMs;
    private final ScalingWindow window;
    private final Clock clock;
    private final Supplier<MeterRegistry> meterRegistry;

    private Admin admin;
    private int failuresInARow;
    private boolean metersBound;

    /**
     * @param adminFactory  makes the AdminClient (kept and reused between samples)
     * @param callTimeout   bound on one sample's Kafka calls; keep it below the sample interval
     * @param meterRegistry where the gauges go; may answer null until the application's registry exists
     */
    public ComputeGroupSampler(Supplier<Admin> adminFactory, String topic, String group, Duration callTimeout,
                               ScalingWindow window, Clock clock, Supplier<MeterRegistry> meterRegistry) {
        this.adminFactory = adminFactory;
        this.topic = topic;
        this.group = group;
        this.callTimeoutMs = callTimeout.toMillis();
        this.window = window;
        this.clock = clock;
        this.meterRegistry = meterRegistry;
    }

    /** Takes one sample into the window. Never throws: a failure becomes an unavailable sample. */
    public synchronized void sample() {
        bindMeters();
        GroupSnapshot snapshot;
        try {
            snapshot = look(clock.millis());
            if (failuresInARow > 0) {
                LOG.info("Kafka answers again: sampling group {} on {}", group, topic);
            }
            failuresInARow = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            snapshot = GroupSnapshot.unavailable(clock.millis(), "interrupted");
        } catch (Exception e) {
            String why = reason(e);
            snapshot = GroupSnapshot.unavailable(clock.millis(), why);
            if (failuresInARow == 0) {
                LOG.warn("Cannot sample group {} on {}: {}; the scaling view keeps its last samples", group, topic, why);
            }
            if (++failuresInARow % FAILURES_BEFORE_NEW_CLIENT == 0) {
                closeAdmin();
            }
        }
        window.add(snapshot);
    }

    /** The window as GET /scaling answers it. */
    public ScalingView view() {
        return window.view(topic, group, clock.millis());
    }

    @Override
    public synchronized void close() {
        closeAdmin();
    }

    private GroupSnapshot look(long at) throws Exception {
        if (admin == null) {
            admin = adminFactory.get();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(callTimeoutMs);
        // the three independent questions go out together
        KafkaFuture<ConsumerGroupDescription> groupFuture = admin.describeConsumerGroups(List.of(group))
                .describedGroups().get(group);
        KafkaFuture<Map<String, TopicDescription>> topicFuture = admin.describeTopics(List.of(topic)).allTopicNames();
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committedFuture = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata();

        String state;
        List<GroupSnapshot.Member> members = new ArrayList<>();
        try {
            ConsumerGroupDescription description = get(groupFuture, deadline);
            state = description.state().toString();
            for (MemberDescription m : description.members()) {
                List<Integer> partitions = m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).toList();
                members.add(new GroupSnapshot.Member(m.consumerId(), m.clientId(), m.host(), partitions));
            }
        } catch (GroupIdNotFoundException e) {
            state = "Dead"; // no such group yet: no compute worker has joined
        }

        int partitions = 0;
        Map<Integer, Long> logEnd = new HashMap<>();
        try {
            TopicDescription description = get(topicFuture, deadline).get(topic);
            partitions = description.partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all(), deadline);
            ends.forEach((tp, info) -> logEnd.put(tp.partition(), info.offset()));
        } catch (UnknownTopicOrPartitionException e) {
            // the topic is not there yet (created when a reader or compute starts): no partitions
        }

        Map<Integer, Long> committed = new HashMap<>();
        try {
            get(committedFuture, deadline).forEach((tp, offset) -> {
                if (offset != null && tp.topic().equals(topic)) {
                    committed.put(tp.partition(), offset.offset());
                }
            });
        } catch (GroupIdNotFoundException e) {
            // nothing committed yet
        }
        return new GroupSnapshot(at, true, null, state, partitions, members, committed, logEnd);
    }

    private static <T> T get(KafkaFuture<T> future, long deadlineNanos) throws Exception {
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private String reason(Exception e) {
        if (e instanceof java.util.concurrent.TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka did not answer within " + callTimeoutMs + " ms";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void closeAdmin() {
        if (admin != null) {
            try {
                admin.close(Duration.ZERO); // pending calls are abandoned, not waited for
            } catch (RuntimeException e) {
                LOG.debug("closing the admin client: {}", e.toString());
            }
            admin = null;
        }
    }

    private void bindMeters() {
        if (metersBound) {
            return;
        }
        MeterRegistry registry = meterRegistry.get();
        if (registry == null) {
            return;
        }
        Gauge.builder(MEMBERS_METER, window, ScalingWindow::currentMembers)
                .description("Members of the compute consumer group, as Kafka reports them (NaN: Kafka unreachable)")
                .register(registry);
        Gauge.builder(RATE_METER, window, ScalingWindow::currentChunksPerSecond)
                .description("Chunks per second the compute group commits, over the scaling rate span")
                .register(registry);
        Gauge.builder(LAG_METER, window, ScalingWindow::currentLag)
                .description("Chunks on the compute topic not yet committed by the compute group")
                .register(registry);
        metersBound = true;
    }
}
