package routes;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to application.properties (and the environment behind it) for the route classes and
 * their beans. The keys live in application.properties; this class only reads them.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public String text(String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    public int number(String key) {
        String value = text(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(text(key));
    }

    public String role() {
        return text("kafka-scale.role");
    }

    public String brokers() {
        return text("kafka.brokers");
    }

    public String computeTopic() {
        return text("kafka.compute-topic");
    }

    public String resultsTopic() {
        return text("kafka.results-topic");
    }

    public Duration brokerWait() {
        return Duration.ofSeconds(number("kafka.broker-wait-seconds"));
    }
}
