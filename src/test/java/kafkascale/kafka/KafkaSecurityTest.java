package kafkascale.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

    /** Settings as application.properties names them; every other key is empty. */
    static KafkaSecurity security(String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return KafkaSecurity.fromSettings(settings::get);
    }

    /** The login module's options, read back by Kafka's own JAAS parser. */
    static Map<String, ?> jaasOptions(Map<String, String> props) {
        Map<String, Object> configs = new HashMap<>(props);
        configs.put("sasl.jaas.config", new Password(props.get("sasl.jaas.config")));
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(configs).configurationEntries();
        assertEquals(1, entries.size());
        return entries.get(0).getOptions();
    }

    @Test
    void noSettingsMeanPlaintextAndNothingElse() {
        KafkaSecurity none = security();
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), none.clientProperties());
        assertTrue(none.isPlaintext());
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), security("kafka.security-protocol", " ",
                "kafka.ssl-truststore-type", "").clientProperties(), "blank values are not set");
    }

    @Test
    void usernameAndPasswordBecomeAScramJaasLineThatKafkaReadsBackExactly() {
        String password = "p\"a\\ss; w}o{rd\n= 'x' \\\" end ";
        KafkaSecurity scram = security(
                "kafka.security-protocol", "sasl_ssl",
                "kafka.sasl-mechanism", "scram-sha-512",
                "kafka.sasl-username", "kafka-scale-compute",
                "kafka.sasl-password", password,
                "kafka.ssl-truststore-location", "/etc/kafka/ca.p12",
                "kafka.ssl-truststore-password", "changeit",
                "kafka.ssl-truststore-type", "pkcs12");
        Map<String, String> props = scram.clientProperties();
        assertEquals("SASL_SSL", props.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
        assertEquals("/etc/kafka/ca.p12", props.get("ssl.truststore.location"));
        assertEquals("changeit", props.get("ssl.truststore.password"));
        assertEquals("PKCS12", props.get("ssl.truststore.type"));
        assertFalse(props.containsKey("ssl.keystore.location"));
        assertTrue(props.get("sasl.jaas.config").startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required "));

        Map<String, ?> options = jaasOptions(props);
        assertEquals("kafka-scale-compute", options.get("username"));
        assertEquals(password, options.get("password"), "the password survives quoting, untrimmed");

        // Kafka accepts every property for a real client
        Map<String, Object> admin = new HashMap<>(props);
        admin.put("bootstrap.servers", "127.0.0.1:9093");
        new AdminClientConfig(admin);
    }

    @Test
    void plainMechanismGetsThePlainLoginModule() {
        Map<String, String> props = security("kafka.security-protocol", "SASL_PLAINTEXT", "kafka.sasl-mechanism", "PLAIN",
                "kafka.sasl-username", "u", "kafka.sasl-password", "p").clientProperties();
        assertTrue(props.get("sasl.jaas.config").startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
        assertEquals("p", jaasOptions(props).get("password"));
    }

    @Test
    void aGivenJaasConfigIsPassedAsItIs() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cret\";";
        KafkaSecurity given = security("kafka.security-protocol", "SASL_SSL", "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-jaas-config", jaas);
        assertEquals(jaas, given.clientProperties().get("sasl.jaas.config"));
        assertFalse(given.toString().contains("s3cret"), given.toString());
    }

    @Test
    void theDescriptionForTheLogHoldsNoSecret() {
        KafkaSecurity scram = security("kafka.security-protocol", "SASL_SSL", "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-username", "compute", "kafka.sasl-password", "hunter2",
                "kafka.ssl-truststore-location", "/ca.p12", "kafka.ssl-truststore-password", "trustpass",
                "kafka.ssl-keystore-location", "/me.p12", "kafka.ssl-keystore-password", "keypass");
        String text = scram.toString();
        assertEquals("SASL_SSL SCRAM-SHA-512 as user compute, truststore /ca.p12, keystore /me.p12", text);
        for (String secret : List.of("hunter2", "trustpass", "keypass", "ScramLoginModule")) {
            assertFalse(text.contains(secret), text);
        }
    }

    @Test
    void contradictoryOrIncompleteSettingsAreRefusedWithTheVariableToFix() {
        assertRefused("KAFKA_SASL_MECHANISM", "kafka.security-protocol", "SASL_SSL",
                "kafka.sasl-username", "u", "kafka.sasl-password", "pw-SECRET");
        assertRefused("KAFKA_SASL_JAAS_CONFIG", "kafka.security-protocol", "SASL_PLAINTEXT", "kafka.sasl-mechanism", "SCRAM-SHA-512");
        assertRefused("only one of them", "kafka.security-protocol", "SASL_SSL", "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-username", "u");
        assertRefused("not both", "kafka.security-protocol", "SASL_SSL", "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-jaas-config", "JAAS-SECRET required;", "kafka.sasl-username", "u", "kafka.sasl-password", "pw-SECRET");
        assertRefused("KAFKA_SASL_MECHANISM is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT", "kafka.sasl-mechanism", "SCRAM-SHA-512");
        assertRefused("KAFKA_SASL_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is SSL",
                "kafka.security-protocol", "SSL", "kafka.sasl-password", "pw-SECRET");
        assertRefused("KAFKA_SSL_TRUSTSTORE_LOCATION is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT",
                "kafka.security-protocol", "SASL_PLAINTEXT", "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-username", "u", "kafka.sasl-password", "pw-SECRET", "kafka.ssl-truststore-location", "/ca.p12");
        assertRefused("KAFKA_SSL_KEYSTORE_PASSWORD is set without KAFKA_SSL_KEYSTORE_LOCATION",
                "kafka.security-protocol", "SSL", "kafka.ssl-keystore-password", "ks-SECRET");
        assertRefused("expected one of", "kafka.security-protocol", "TLS");
        assertRefused("for GSSAPI give KAFKA_SASL_JAAS_CONFIG", "kafka.security-protocol", "SASL_SSL",
                "kafka.sasl-mechanism", "GSSAPI", "kafka.sasl-username", "u", "kafka.sasl-password", "pw-SECRET");
    }

    static void assertRefused(String expectedInMessage, String... keyValues) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> security(keyValues));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i].endsWith("password") || keyValues[i].endsWith("jaas-config")) {
                assertFalse(e.getMessage().contains(keyValues[i + 1]), "no secret in " + e.getMessage());
            }
        }
    }
}
