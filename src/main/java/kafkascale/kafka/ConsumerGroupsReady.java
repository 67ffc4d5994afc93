package kafkascale.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, at most a bound, until consumer groups own every partition of their topics: each group
 * Stable (no rebalance under way) with its members' assignments covering the topic. The reader of
 * {@code all} asks it before a run starts, so that the run's first chunks meet compute consumers that
 * are already fetching, as they do when compute pods run before a reader Job starts. Without it the
 * consumers were still being built and joining their groups while the reader started, on the same two
 * cores (docs/benchmark.md, round 20). When the bound runs out the reader reads anyway: its chunks wait
 * in Kafka until compute takes them, as they would for a reader alone.
 */
public final class ConsumerGroupsReady {

    /** A consumer group and the topic it reads. */
    public record GroupTopic(String group, String topic) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupsReady.class);
    /** Between two looks at the groups: a rebalance on a quiet broker takes tens of milliseconds. */
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final KafkaTopics kafka;
    private final List<GroupTopic> groups;
    private final Duration timeout;

    /**
     * @param groups  the groups to wait for (none: {@link #await()} answers at once)
     * @param timeout how long to wait for them at most
     */
    public ConsumerGroupsReady(KafkaTopics kafka, List<GroupTopic> groups, Duration timeout) {
        this.kafka = kafka;
        this.groups = List.copyOf(groups);
        this.timeout = timeout;
    }

    /**
     * Answers once every group owns every partition of its topic (true), or when the bound has run out
     * or Kafka does not let this client see the groups (false, logged); never throws for Kafka's sake.
     */
    public boolean await() throws InterruptedException {
        if (groups.isEmpty()) {
            return true;
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String missing;
        try (Admin admin = kafka.newAdmin()) {
            while (true) {
                try {
                    Optional<String> notReady = firstNotReady(admin, deadline);
                    if (notReady.isEmpty()) {
                        LOG.info("Consumer groups {} own every partition of their topics ({} ms): reading",
                                names(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        return true;
                    }
                    missing = notReady.get();
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof AuthorizationException) {
                        // a least-privilege identity may not describe groups: waiting would only add the bound
                        LOG.warn("Cannot see consumer groups {} ({}); reading without waiting for them", names(), cause.getMessage());
                        return false;
                    }
                    missing = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                            ? "Kafka did not answer in time" : cause.toString();
                }
                if (System.nanoTime() - deadline >= 0) {
                    LOG.warn("Consumer groups {} do not own every partition after {} s ({}); reading anyway: chunks "
                            + "wait in Kafka until compute takes them", names(), timeout.toSeconds(), missing);
                    return false;
                }
                Thread.sleep(INTERVAL.toMillis());
            }
        }
    }

    /** What the first group that is not ready lacks, or empty when all are. */
    private Optional<String> firstNotReady(Admin admin, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<String> groupIds = groups.stream().map(GroupTopic::group).distinct().toList();
        List<String> topics = groups.stream().map(GroupTopic::topic).distinct().toList();
        var described = admin.describeConsumerGroups(groupIds).describedGroups();
        Map<String, TopicDescription> topicDescriptions = admin.describeTopics(topics).allTopicNames()
                .get(left(deadline), TimeUnit.NANOSECONDS);
        for (GroupTopic groupTopic : groups) {
            ConsumerGroupState state;
            Set<Integer> owned = new HashSet<>();
            try {
                ConsumerGroupDescription description = described.get(groupTopic.group()).get(left(deadline), TimeUnit.NANOSECONDS);
                state = description.state();
                for (MemberDescription member : description.members()) {
                    for (TopicPartition partition : member.assignment().topicPartitions()) {
                        if (partition.topic().equals(groupTopic.topic())) {
                            owned.add(partition.partition());
                        }
                    }
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                state = ConsumerGroupState.DEAD; // no member has joined yet
            }
            TopicDescription topic = topicDescriptions.get(groupTopic.topic());
            Optional<String> missing = missing(groupTopic, state, owned, topic == null ? 0 : topic.partitions().size());
            if (missing.isPresent()) {
                return missing;
            }
        }
        return Optional.empty();
    }

    /**
     * Why a group is not ready to take its topic, or empty when it is: Stable, with every one of the
     * topic's {@code partitions} among the partitions its members own.
     */
    static Optional<String> missing(GroupTopic groupTopic, ConsumerGroupState state, Collection<Integer> owned, int partitions) {
        if (partitions == 0) {
            return Optional.of("topic " + groupTopic.topic() + " has no partitions yet");
        }
        if (state != ConsumerGroupState.STABLE) {
            return Optional.of("group " + groupTopic.group() + " is " + state);
        }
        Set<Integer> unowned = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            unowned.add(p);
        }
        unowned.removeAll(owned);
        return unowned.isEmpty() ? Optional.empty()
                : Optional.of("no member of group " + groupTopic.group() + " owns partitions " + unowned + " of " + groupTopic.topic());
    }

    private List<String> names() {
        return groups.stream().map(GroupTopic::group).toList();
    }

    private static long left(long deadline) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadline - System.nanoTime());
    }
}
