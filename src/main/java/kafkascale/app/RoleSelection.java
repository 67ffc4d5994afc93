package kafkascale.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Locale;
import kafkascale.Role;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks what this JVM plays from CAMEL_ROLE, before Camel configures anything: the role's route
 * classes (the {@code role.routes.<role>} setting, as Camel Main's java-routes include pattern), no
 * ports for the one-shot roles, and the real port numbers where a port is 0 (any free one), so that
 * the log and the endpoint summary name them.
 */
public final class RoleSelection extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RoleSelection.class);

    private final KafkaScaleMain main;

    public RoleSelection(KafkaScaleMain main) {
        this.main = main;
    }

    @Override
    public void beforeConfigure(BaseMainSupport ignored) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Role role = Role.parse(properties.resolveProperty("kafka-scale.role").orElse(""));
        String name = role.name().toLowerCase(Locale.ROOT);
        String routes = properties.resolveProperty("role.routes." + name)
                .orElseThrow(() -> new IllegalStateException("no role.routes." + name + " in application.properties"));
        main.configure().setJavaRoutesIncludePattern(routes);
        // the reader and the one-shot roles end the JVM through this, with their exit code
        main.getCamelContext().getRegistry().bind("appExit", main);
        if (role.oneShot()) {
            // a command, not a service: no ports of its own
            properties.addOverrideProperty("camel.server.enabled", "false");
            properties.addOverrideProperty("camel.management.enabled", "false");
        }
        // Lets Camel JBang (camel ps, camel get route) find and inspect this JVM. Not for a one-shot
        // command: the connector's lock file is per process, and a connector that stops deletes it,
        // which tells every other Camel in the same JVM to terminate.
        DefaultCliConnectorFactory cli = new DefaultCliConnectorFactory();
        cli.setEnabled(!role.oneShot()
                && Boolean.parseBoolean(properties.resolveProperty("cli-connector.enabled").orElse("true").trim()));
        cli.setRuntime("camel-main");
        cli.setRuntimeStartClass("kafkascale.KafkaScaleApplication");
        main.getCamelContext().getRegistry().bind("cliConnectorFactory", cli);
        // each results replica reads every results partition itself: a group of its own, never shared
        properties.addOverrideProperty("resolved.results-group",
                properties.resolveProperty("kafka.results-group").orElse("kafka-scale-results").trim() + "-"
                        + java.util.UUID.randomUUID());
        properties.addOverrideProperty("resolved.compute-consumers", properties.resolveProperty("compute.consumers")
                .filter(v -> !v.isBlank())
                .or(() -> properties.resolveProperty("role.compute-consumers." + name)).orElse("1").trim());
        resolvePort(properties, "http.port", "resolved.http-port");
        resolvePort(properties, "management.port", "resolved.management-port");
        LOG.info("kafka-scale role {}: routes {}", name, routes);
    }

    /** Port 0 means any free port: chosen here so that the log and the endpoints summary name the real one. */
    private static void resolvePort(PropertiesComponent properties, String key, String resolvedKey) {
        int port = Integer.parseInt(properties.resolveProperty(key).orElse("0").trim());
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port for " + key, e);
            }
        }
        properties.addOverrideProperty(resolvedKey, Integer.toString(port));
        LOG.info("{} = {}", key, port);
    }
}
