package kafkascale.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka security settings (security protocol, SASL, TLS trust and key stores) turned into the
 * client properties every producer, consumer and AdminClient of the app gets. Empty settings are not
 * set, so Kafka's own defaults apply. Contradictory settings are refused at start with an
 * {@link IllegalArgumentException} that names the environment variables to fix.
 *
 * <p>{@link #toString()} describes the settings for the log without any secret (no JAAS line, no
 * password).
 */
public final class KafkaSecurity {

    /** The settings read, as application.properties names them (each maps to the env var in {@link #ENV}). */
    public static final List<String> KEYS = List.of(
            "kafka.security-protocol", "kafka.sasl-mechanism", "kafka.sasl-jaas-config",
            "kafka.sasl-username", "kafka.sasl-password",
            "kafka.ssl-truststore-location", "kafka.ssl-truststore-password", "kafka.ssl-truststore-type",
            "kafka.ssl-keystore-location", "kafka.ssl-keystore-password", "kafka.ssl-keystore-type");

    /** Setting -> the environment variable users set, for error messages. */
    static final Map<String, String> ENV = env();

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> SCRAM = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");

    private final String protocol;
    private final String mechanism;
    private final String username;
    private final boolean jaasGiven;
    private final String truststore;
    private final String keystore;
    private final Map<String, String> clientProperties;

    private KafkaSecurity(Function<String, String> setting) {
        String protocolSetting = value(setting, "kafka.security-protocol");
        protocol = protocolSetting.isEmpty() ? "PLAINTEXT" : protocolSetting.toUpperCase(Locale.ROOT);
        mechanism = value(setting, "kafka.sasl-mechanism").toUpperCase(Locale.ROOT);
        String jaas = value(setting, "kafka.sasl-jaas-config");
        username = value(setting, "kafka.sasl-username");
        String password = value(setting, "kafka.sasl-password");
        jaasGiven = !jaas.isEmpty();
        truststore = value(setting, "kafka.ssl-truststore-location");
        keystore = value(setting, "kafka.ssl-keystore-location");

        if (!PROTOCOLS.contains(protocol)) {
            throw refused("KAFKA_SECURITY_PROTOCOL is '" + protocolSetting + "'; expected one of " + PROTOCOLS);
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        if (sasl) {
            if (mechanism.isEmpty()) {
                throw refused(protocol + " needs KAFKA_SASL_MECHANISM (e.g. SCRAM-SHA-512)");
            }
            if (jaasGiven && (!username.isEmpty() || !password.isEmpty())) {
                throw refused("give either KAFKA_SASL_JAAS_CONFIG or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, not both");
            }
            if (!jaasGiven) {
                if (username.isEmpty() || password.isEmpty()) {
                    throw refused(protocol + " needs KAFKA_SASL_JAAS_CONFIG, or both KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
                            + (username.isEmpty() && password.isEmpty() ? "" : " (only one of them is set)"));
                }
                if (!SCRAM.contains(mechanism) && !"PLAIN".equals(mechanism)) {
                    throw refused("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD work with SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN;"
                            + " for " + mechanism + " give KAFKA_SASL_JAAS_CONFIG");
                }
            }
        } else {
            for (String key : List.of("kafka.sasl-mechanism", "kafka.sasl-jaas-config", "kafka.sasl-username", "kafka.sasl-password")) {
                if (!value(setting, key).isEmpty()) {
                    throw refused(ENV.get(key) + " is set but KAFKA_SECURITY_PROTOCOL is " + protocol
                            + ", which sends no credentials; use SASL_SSL (or SASL_PLAINTEXT)");
                }
            }
        }
        for (String store : List.of("truststore", "keystore")) {
            String location = value(setting, "kafka.ssl-" + store + "-location");
            for (String part : List.of("location", "password", "type")) {
                String key = "kafka.ssl-" + store + "-" + part;
                if (!value(setting, key).isEmpty() && !tls) {
                    throw refused(ENV.get(key) + " is set but KAFKA_SECURITY_PROTOCOL is " + protocol
                            + ", which does not use TLS; use SSL or SASL_SSL");
                }
                if (!part.equals("location") && !value(setting, key).isEmpty() && location.isEmpty()) {
                    throw refused(ENV.get(key) + " is set without " + ENV.get("kafka.ssl-" + store + "-location"));
                }
            }
        }

        Map<String, String> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (sasl) {
            props.put(SaslConfigs.SASL_MECHANISM, mechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, jaasGiven ? jaas : jaasLine(mechanism, username, password));
        }
        putIfSet(props, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore);
        putIfSet(props, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, value(setting, "kafka.ssl-truststore-password"));
        putIfSet(props, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, value(setting, "kafka.ssl-truststore-type").toUpperCase(Locale.ROOT));
        putIfSet(props, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore);
        putIfSet(props, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, value(setting, "kafka.ssl-keystore-password"));
        putIfSet(props, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, value(setting, "kafka.ssl-keystore-type").toUpperCase(Locale.ROOT));
        clientProperties = Collections.unmodifiableMap(props);
    }

    /**
     * Reads the settings named in {@link #KEYS} through {@code setting} (a missing one may be null or
     * empty).
     *
     * @throws IllegalArgumentException when the settings contradict each other or are incomplete
     */
    public static KafkaSecurity fromSettings(Function<String, String> setting) {
        return new KafkaSecurity(setting);
    }

    /** No authentication, no TLS: what the embedded broker of `all` speaks. */
    public static KafkaSecurity plaintext() {
        return new KafkaSecurity(key -> "");
    }

    /** Kafka client properties (security.protocol, sasl.*, ssl.*); holds secrets, never log it. */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    public boolean isPlaintext() {
        return "PLAINTEXT".equals(protocol);
    }

    /**
     * The JAAS line for a user name and password: Kafka's SCRAM login module for SCRAM-SHA-*, its
     * PLAIN module for PLAIN. The values are quoted, with backslash, double quote and line breaks
     * escaped as Kafka's JAAS parser (a {@link java.io.StreamTokenizer}) reads them back.
     */
    static String jaasLine(String mechanism, String username, String password) {
        String module = "PLAIN".equals(mechanism)
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=" + quoted(username) + " password=" + quoted(password) + ";";
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** For the log: protocol, mechanism, user and store locations; never the JAAS line or a password. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(protocol);
        if (protocol.startsWith("SASL_")) {
            out.append(' ').append(mechanism)
                    .append(jaasGiven ? " (JAAS config from KAFKA_SASL_JAAS_CONFIG)" : " as user " + username);
        }
        if (!truststore.isEmpty()) {
            out.append(", truststore ").append(truststore);
        }
        if (!keystore.isEmpty()) {
            out.append(", keystore ").append(keystore);
        }
        return out.toString();
    }

    /** A setting, trimmed unless it is a password (where spaces may be part of it). */
    private static String value(Function<String, String> setting, String key) {
        String v = setting.apply(key);
        if (v == null) {
            return "";
        }
        return key.endsWith("-password") || v.isBlank() ? (v.isBlank() ? "" : v) : v.trim();
    }

    private static void putIfSet(Map<String, String> props, String key, String value) {
        if (!value.isEmpty()) {
            props.put(key, value);
        }
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("Kafka security settings: " + why);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : KEYS) {
            env.put(key, key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Collections.unmodifiableMap(env);
    }
}
