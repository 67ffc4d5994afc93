package kafkascale.kafka;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics when they are missing, through Kafka's AdminClient. Waits for the
 * broker with a bounded back-off and says so in the log, so a role started before its broker simply
 * waits instead of dying. Refused credentials are not waited for: they end the wait at once with a
 * {@link CredentialsRefusedException}.
 */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private final KafkaClientSettings settings;

    /** Kafka refused this app's credentials (or its TLS handshake): waiting would not help. */
    public static final class CredentialsRefusedException extends IllegalStateException {
        public CredentialsRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public KafkaTopics(KafkaClientSettings settings) {
        this.settings = settings;
    }

    public KafkaClientSettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public Admin newAdmin() {
        return Admin.create(settings.adminConfig());
    }

    /** Creates {@code topic} with the given partitions and replication factor unless it exists. */
    public void ensure(String topic, int partitions, short replication) {
        ensure(topic, partitions, replication, Map.of());
    }

    /** As {@link #ensure(String, int, short)}, creating it with the given topic configs. */
    public void ensure(String topic, int partitions, short replication, Map<String, String> configs) {
        long deadline = System.nanoTime() + settings.brokerWait().toNanos();
        long backoffMs = 500;
        while (true) {
            try (Admin admin = newAdmin()) {
                Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
                if (!existing.contains(topic)) {
                    try {
                        admin.createTopics(Set.of(new NewTopic(topic, partitions, replication).configs(configs)))
                                .all().get(15, TimeUnit.SECONDS);
                        LOG.info("Created topic {} with {} partitions, replication factor {}", topic, partitions, replication);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                    awaitKnown(admin, topic);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic, e);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof AuthenticationException) {
                    throw credentialsRefused(cause);
                }
                if (cause instanceof AuthorizationException) {
                    LOG.warn("Kafka does not allow {} to create topic {} ({}): create it with an admin identity; retrying",
                            settings.security(), topic, cause.getMessage());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker " + bootstrapServers() + " unavailable: cannot create topic "
                            + topic + " (" + cause + ")", cause);
                }
                LOG.warn("Kafka broker {} unavailable while ensuring topic {} ({}); retrying in {} ms",
                        bootstrapServers(), topic, cause.getMessage(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** The end offset of every partition of {@code topic} (bounded wait; throws when the broker does not answer). */
    public Map<Integer, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = newAdmin()) {
            var description = admin.describeTopics(Set.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            description.partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<Integer, Long> ends = new java.util.TreeMap<>();
            admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }
    }

    /**
     * Waits until the broker that answers describes the topic just created with a leader for every
     * partition: createTopics returns once the controller has it, and a broker's metadata can lag a few
     * milliseconds behind, so a describe or a send right after it could still hear "unknown topic"
     * (seen on a fresh KRaft broker: the reader's run failed on it). Bounded: after 10 s it goes on and
     * the callers' own retries take over.
     */
    private static void awaitKnown(Admin admin, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                var description = admin.describeTopics(Set.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
                if (description != null && description.partitions().stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("Topic {} not described yet: {}", topic, e.toString());
            }
            Thread.sleep(50);
        }
        LOG.warn("Topic {} was created but not yet described by the broker after 10 s; going on", topic);
    }

    /**
     * The configs of {@code topic} as the broker applies them (its own and the broker defaults). A topic
     * just created may be unknown to the answering broker for a moment: asked again for up to 10 s.
     */
    public Map<String, String> configs(String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Admin admin = newAdmin()) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            while (true) {
                try {
                    Map<String, String> configs = new java.util.TreeMap<>();
                    admin.describeConfigs(Set.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource).entries()
                            .forEach(e -> configs.put(e.name(), e.value()));
                    return configs;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    /** The error for credentials (or a TLS handshake) Kafka refused: names the identity, never a secret. */
    public CredentialsRefusedException credentialsRefused(Throwable cause) {
        return new CredentialsRefusedException("Kafka at " + bootstrapServers() + " refused this app's credentials ("
                + settings.security() + "): " + cause.getMessage() + " - check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD or"
                + " KAFKA_SASL_JAAS_CONFIG, KAFKA_SASL_MECHANISM and the truststore", cause);
    }

    /** The partition count of each named topic that exists. */
    public Map<String, Integer> partitions(Set<String> topics) throws Exception {
        try (Admin admin = newAdmin()) {
            Map<String, Integer> out = new java.util.TreeMap<>();
            admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS)
                    .forEach((name, d) -> out.put(name, d.partitions().size()));
            return out;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
