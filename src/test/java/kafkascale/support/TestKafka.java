package kafkascale.support;

import kafkascale.kafka.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for a test: Testcontainers' {@link KafkaContainer} (apache/kafka, the version the
 * app is built with) when a Docker engine answers, else the app's in-JVM KRaft broker. Says which in
 * the log, so a run never passes on a broker nobody knows about.
 */
public final class TestKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);
    private static final String IMAGE = "apache/kafka:3.9.1";

    private final KafkaContainer container;
    private final EmbeddedKafkaBroker embedded;

    private TestKafka(KafkaContainer container, EmbeddedKafkaBroker embedded) {
        this.container = container;
        this.embedded = embedded;
    }

    public static TestKafka start() {
        if (dockerAnswers()) {
            KafkaContainer container = new KafkaContainer(IMAGE);
            container.start();
            LOG.info("Test broker: Testcontainers {} at {}", IMAGE, container.getBootstrapServers());
            return new TestKafka(container, null);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
        LOG.info("Test broker: no Docker engine answers, so the in-JVM KRaft broker at {}", broker.bootstrapServers());
        return new TestKafka(null, broker);
    }

    /** Which broker this is, for assertions and logs: "testcontainers" or "in-jvm". */
    public String kind() {
        return container != null ? "testcontainers" : "in-jvm";
    }

    public String bootstrapServers() {
        return container != null ? container.getBootstrapServers() : embedded.bootstrapServers();
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        } else {
            embedded.close();
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.info("Docker check failed ({}): no Docker engine", e.toString());
            return false;
        }
    }
}
