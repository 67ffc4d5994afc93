package kafkascale.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the Go original's topiclist, offsets and rmtopics did, and the Kafka admin CLI added, through
 * Kafka's AdminClient. Every call is bounded in time: an unreachable broker is a
 * {@link BrokerUnavailableException}, never a hang.
 */
public final class KafkaAdmin {

    private final KafkaTopics topics;
    private final long timeoutMs;

    public KafkaAdmin(KafkaTopics topics, long timeoutMs) {
        this.topics = topics;
        this.timeoutMs = timeoutMs;
    }

    public record TopicSummary(String name, int partitions, int replicationFactor, List<Integer> leaders) {
    }

    public record PartitionDetail(int partition, Integer leader, List<Integer> replicas, List<Integer> isr) {
    }

    public record TopicDetail(String name, String topicId, List<PartitionDetail> partitions, Map<String, String> configs) {
    }

    public record PartitionOffsets(int partition, Long committed, long logEnd, long lag) {
    }

    public record OffsetsReport(String topic, String group, List<PartitionOffsets> partitions,
                                long totalCommitted, long totalLogEnd, long totalLag) {
    }

    public record BrokerInfo(int id, String host, int port, String rack, boolean controller) {
    }

    public record ClusterInfo(String clusterId, Integer controller, List<BrokerInfo> brokers) {
    }

    /** A topic (or group) that does not exist: 404 over HTTP. */
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** The broker did not answer within the bounded time: 503 over HTTP. */
    public static final class BrokerUnavailableException extends RuntimeException {
        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Kafka's ACLs do not allow this app's identity the call (e.g. deleting a topic): 403 over HTTP. */
    public static final class NotAuthorizedException extends RuntimeException {
        public NotAuthorizedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A request Kafka refused as invalid (exists already, too few partitions, bad factor…): 400/409 over HTTP. */
    public static final class RejectedException extends RuntimeException {
        private final boolean conflict;

        public RejectedException(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }

        public boolean conflict() {
            return conflict;
        }
    }

    public List<TopicSummary> topics() {
        return call(admin -> {
            Set<String> names = get(admin.listTopics().names());
            List<TopicSummary> out = new ArrayList<>();
            new TreeMap<>(get(admin.describeTopics(names).allTopicNames())).values().forEach(d -> out.add(summary(d)));
            return out;
        });
    }

    public TopicDetail topic(String name) {
        return call(admin -> {
            TopicDescription d = describe(admin, name);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
            Map<String, String> configs = new TreeMap<>();
            config.entries().forEach(e -> configs.put(e.name(), e.value()));
            List<PartitionDetail> partitions = d.partitions().stream().map(KafkaAdmin::detail).toList();
            return new TopicDetail(d.name(), d.topicId().toString(), partitions, configs);
        });
    }

    /** Per partition: the group's committed offset, the log end offset and the lag; totals at the end. */
    public OffsetsReport offsets(String topic, String group) {
        return call(admin -> {
            TopicDescription d = describe(admin, topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all());
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata());
            List<PartitionOffsets> rows = new ArrayList<>();
            long totalCommitted = 0;
            long totalEnd = 0;
            long totalLag = 0;
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                long end = ends.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                Long at = c == null ? null : c.offset();
                long lag = end - (at == null ? 0 : at);
                rows.add(new PartitionOffsets(p.partition(), at, end, lag));
                totalCommitted += at == null ? 0 : at;
                totalEnd += end;
                totalLag += lag;
            }
            return new OffsetsReport(topic, group, rows, totalCommitted, totalEnd, totalLag);
        });
    }

    public ClusterInfo cluster() {
        return call(admin -> {
            DescribeClusterResult cluster = admin.describeCluster();
            Node controller = get(cluster.controller());
            List<BrokerInfo> brokers = new ArrayList<>();
            for (Node n : get(cluster.nodes())) {
                brokers.add(new BrokerInfo(n.id(), n.host(), n.port(), n.rack(), controller != null && controller.id() == n.id()));
            }
            brokers.sort((a, b) -> Integer.compare(a.id(), b.id()));
            return new ClusterInfo(get(cluster.clusterId()), controller == null ? null : controller.id(), brokers);
        });
    }

    public TopicDetail createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replicationFactor must be at least 1");
        }
        call("create topic " + name, admin -> get(admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor)
                .configs(configs == null ? Map.of() : configs))).all()));
        return topic(name);
    }

    /** Raises the partition count of {@code topic} to {@code count} (Kafka cannot lower it). */
    public TopicDetail addPartitions(String topic, int count) {
        call("add partitions to topic " + topic, admin -> {
            int current = describe(admin, topic).partitions().size();
            if (count <= current) {
                throw new RejectedException("topic " + topic + " has " + current + " partitions; ask for more than that", false);
            }
            return get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(count))).all());
        });
        return topic(topic);
    }

    public void deleteTopic(String topic) {
        call("delete topic " + topic, admin -> {
            describe(admin, topic);
            return get(admin.deleteTopics(List.of(topic)).all());
        });
    }

    private static TopicSummary summary(TopicDescription d) {
        int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        List<Integer> leaders = d.partitions().stream().map(p -> p.leader() == null ? -1 : p.leader().id()).toList();
        return new TopicSummary(d.name(), d.partitions().size(), rf, leaders);
    }

    private static PartitionDetail detail(TopicPartitionInfo p) {
        return new PartitionDetail(p.partition(), p.leader() == null ? null : p.leader().id(), ids(p.replicas()), ids(p.isr()));
    }

    private static List<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private TopicDescription describe(Admin admin, String name) throws Exception {
        return get(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
    }

    private interface AdminCall<T> {
        T apply(Admin admin) throws Exception;
    }

    private <T> T call(AdminCall<T> body) {
        return call(null, body);
    }

    /** @param what the change, for the message when Kafka's ACLs refuse it */
    private <T> T call(String what, AdminCall<T> body) {
        var props = topics.settings().adminConfig();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeoutMs, 30_000)));
        try (Admin admin = Admin.create(props)) {
            return body.apply(admin);
        } catch (NotFoundException | RejectedException | BrokerUnavailableException | NotAuthorizedException
                 | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e, what);
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private RuntimeException translate(Exception e, String what) {
        if (e instanceof AuthorizationException) {
            return new NotAuthorizedException("not authorized to " + (what == null ? "make that call" : what)
                    + ": Kafka's ACLs refuse this app's identity (" + topics.settings().security() + ") (" + e.getMessage()
                    + "); creating or deleting topics needs the admin identity", e);
        }
        if (e instanceof AuthenticationException) {
            return new BrokerUnavailableException(topics.credentialsRefused(e).getMessage(), e);
        }
        if (e instanceof UnknownTopicOrPartitionException) {
            return new NotFoundException("no such topic: " + e.getMessage());
        }
        if (e instanceof TopicExistsException) {
            return new RejectedException(e.getMessage(), true);
        }
        if (e instanceof InvalidTopicException || e instanceof InvalidPartitionsException
                || e instanceof InvalidReplicationFactorException || e instanceof InvalidRequestException
                || e instanceof PolicyViolationException) {
            return new RejectedException(e.getMessage(), false);
        }
        if (e instanceof TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new BrokerUnavailableException("Kafka at " + topics.bootstrapServers() + " did not answer within "
                    + timeoutMs + " ms", e);
        }
        return new BrokerUnavailableException("Kafka admin call failed: " + e, e);
    }
}
