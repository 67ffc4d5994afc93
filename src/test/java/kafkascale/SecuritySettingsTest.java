package kafkascale;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.Test;

/** Kafka security settings that cannot work stop the app at start, naming what to fix. */
class SecuritySettingsTest {

    static String startFailure(Map<String, String> settings) {
        Exception e = assertThrows(Exception.class, () -> RunningApp.start(settings).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void saslWithoutAMechanismIsRefused() {
        String why = startFailure(Map.of("kafka-scale.role", "compute", "kafka.brokers", "127.0.0.1:9",
                "kafka.security-protocol", "SASL_SSL", "kafka.sasl-username", "compute", "kafka.sasl-password", "pw-SECRET"));
        assertTrue(why.contains("SASL_SSL needs KAFKA_SASL_MECHANISM"), why);
        assertTrue(!why.contains("pw-SECRET"), why);
    }

    @Test
    void theEmbeddedBrokerIsNotOfferedWithSasl() {
        String why = startFailure(Map.of("kafka-scale.role", "all", "kafka.security-protocol", "SASL_PLAINTEXT",
                "kafka.sasl-mechanism", "SCRAM-SHA-512", "kafka.sasl-username", "u", "kafka.sasl-password", "pw-SECRET"));
        assertTrue(why.contains("the embedded broker of `all` speaks PLAINTEXT only; set KAFKA_BROKERS"), why);
        assertTrue(!why.contains("pw-SECRET"), why);
    }
}
