package kafkascale.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka settings every client of the app shares, whichever role made it: the brokers and the
 * connection settings (security) that camel-kafka's producers and consumers get through
 * {@link MeteredKafkaClientFactory} and the AdminClients get through {@link #adminConfig()}. The one
 * place such a setting is applied, so no client can be made without it.
 *
 * @param bootstrapServers the brokers (the embedded broker's address for `all` without KAFKA_BROKERS)
 * @param security         the security settings every client shares (protocol, SASL, TLS)
 * @param brokerWait       how long a role waits for an unreachable broker at start before it gives up
 */
public record KafkaClientSettings(String bootstrapServers, KafkaSecurity security, Duration brokerWait) {

    /** Adds the shared connection settings to a client's properties (they win over anything else). */
    public void applyTo(Properties clientProperties) {
        clientProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        clientProperties.putAll(security.clientProperties());
    }

    /** AdminClient settings: bounded calls, so an unreachable broker is an error and never a hang. */
    public Properties adminConfig() {
        Properties props = new Properties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-scale-admin");
        applyTo(props);
        return props;
    }
}
