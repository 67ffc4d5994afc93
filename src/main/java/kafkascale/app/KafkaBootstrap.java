package kafkascale.app;

import java.util.Locale;
import kafkascale.Role;
import kafkascale.kafka.EmbeddedKafkaBroker;
import kafkascale.kafka.KafkaSecurity;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which Kafka the role talks to, before any client is configured: KAFKA_BROKERS when set; for
 * `all` without it, a real broker started in this JVM (and stopped with it); otherwise 127.0.0.1:9092,
 * where another process finds an `all` run's broker. The answer goes under {@code resolved.brokers}
 * (its own key, because an environment variable set but empty would override {@code kafka.brokers}).
 */
public final class KafkaBootstrap extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBootstrap.class);
    static final String DEFAULT_BROKERS = "127.0.0.1:9092";

    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Role role = Role.parse(properties.resolveProperty("kafka-scale.role").orElse(""));
        String brokers = properties.resolveProperty("kafka.brokers").map(String::trim).orElse("");
        if (brokers.isEmpty()) {
            if (role == Role.ALL) {
                KafkaSecurity security = KafkaSecurity.fromSettings(key -> properties.resolveProperty(key).orElse(""));
                if (!security.isPlaintext()) {
                    throw new IllegalArgumentException("the embedded broker of `all` speaks PLAINTEXT only; set KAFKA_BROKERS"
                            + " to use KAFKA_SECURITY_PROTOCOL=" + security);
                }
                int port = Integer.parseInt(properties.resolveProperty("kafka.embedded-port").orElse("9092").trim());
                broker = EmbeddedKafkaBroker.start(port);
                brokers = broker.bootstrapServers();
            } else {
                brokers = DEFAULT_BROKERS;
                LOG.info("KAFKA_BROKERS is not set: using {}", brokers);
            }
        }
        properties.addOverrideProperty("resolved.brokers", brokers);
        LOG.info("kafka-scale role {} on Kafka {}", role.name().toLowerCase(Locale.ROOT), brokers);
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
