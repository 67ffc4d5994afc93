package kafkascale.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's developer console, safe by default:
 * <ul>
 *   <li>the management port (0.0.0.0: probes and Prometheus) never serves /q/dev, jolokia, upload,
 *       download or send: a start with any of them enabled there is refused;</li>
 *   <li>with {@code management.console-enabled} (CAMEL_DEV_CONSOLE_ENABLED=true) a second Camel
 *       management server, configured with Camel's own {@link HttpManagementServerConfigurationProperties},
 *       serves /q/dev on a loopback address only ({@code management.console-host}, port
 *       {@code management.console-port}), reached from outside the pod with {@code kubectl port-forward};</li>
 *   <li>the consoles are only those in {@code management.console-ids} ({@link SafeDevConsoleRegistry});
 *       route, route-group and processor answer read-only.</li>
 * </ul>
 * Camel 4.18 binds the one management server to one host and has no per-console switch, hence this
 * listener instead of settings alone.
 */
public final class DevConsoleSetup extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DevConsoleSetup.class);

    private SafeDevConsoleRegistry registry;

    /** Before Camel Main configures: its configurer then takes this registry in place of Camel's own. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Set<String> ids = Arrays.stream(setting(context, "management.console-ids").split(","))
                .map(String::trim).filter(id -> !id.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        registry = new SafeDevConsoleRegistry(ids);
        context.getRegistry().bind("devConsoleRegistry", registry);
    }

    /** After Camel Main has set up its own servers (so its management server stays the one Micrometer finds). */
    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        HttpManagementServerConfigurationProperties management = main.configure().httpManagementServer();
        if (!management.isEnabled()) {
            return; // a one-shot role: no ports
        }
        refuseExecutingEndpointsOnOpenInterface(management);
        if (!Boolean.parseBoolean(setting(context, "management.console-enabled"))) {
            LOG.info("Camel developer console (/q/dev) is off; CAMEL_DEV_CONSOLE_ENABLED=true serves it on loopback");
            return;
        }
        String host = setting(context, "management.console-host");
        if (!isLoopback(host)) {
            throw new IllegalArgumentException("management.console-host must be a loopback address (127.0.0.1 or ::1),"
                    + " not '" + host + "': the developer console reads the app's internals and is reached with"
                    + " kubectl port-forward");
        }
        int port = consolePort(setting(context, "management.console-port"));
        int businessPort = main.configure().httpServer().isEnabled() ? main.configure().httpServer().getPort() : -1;
        if (port == management.getPort() || port == businessPort) {
            // Camel would share that port's server, which listens on every interface
            throw new IllegalArgumentException("the developer console needs a port of its own (DEV_CONSOLE_PORT=" + port
                    + " is the HTTP or management port)");
        }

        HttpManagementServerConfigurationProperties console = new HttpManagementServerConfigurationProperties(main.configure());
        console.setEnabled(true);
        console.setHost(host);
        console.setPort(port);
        console.setDevConsoleEnabled(true);
        // everything else off: health, metrics and info stay on the management port only
        Service server = new DefaultMainHttpServerFactory().newHttpManagementServer(context, console);
        try {
            context.addService(server, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the developer console server", e);
        }
        LOG.info("Camel developer console on http://{}:{}/q/dev (loopback only; consoles: {})", host, port,
                String.join(",", registry.allowed()));
    }

    /** Jolokia, upload, download, send and the dev console execute or reveal: never on a non-loopback address. */
    static void refuseExecutingEndpointsOnOpenInterface(HttpManagementServerConfigurationProperties management) {
        if (isLoopback(management.getHost())) {
            return;
        }
        StringBuilder enabled = new StringBuilder();
        append(enabled, management.isDevConsoleEnabled(), "camel.management.dev-console-enabled");
        append(enabled, management.isJolokiaEnabled(), "camel.management.jolokia-enabled");
        append(enabled, management.isUploadEnabled(), "camel.management.upload-enabled");
        append(enabled, management.isDownloadEnabled(), "camel.management.download-enabled");
        append(enabled, management.isSendEnabled(), "camel.management.send-enabled");
        if (!enabled.isEmpty()) {
            throw new IllegalArgumentException(enabled + " would answer on " + management.getHost() + ":" + management.getPort()
                    + " to anyone who reaches the pod; use CAMEL_DEV_CONSOLE_ENABLED=true, which serves /q/dev on loopback only");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(host.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void append(StringBuilder out, boolean enabled, String key) {
        if (enabled) {
            out.append(out.isEmpty() ? "" : ", ").append(key);
        }
    }

    /** 0 = a free loopback port, chosen now so the log names it. */
    private static int consolePort(String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("management.console-port must be a whole number, not '" + value + "'");
        }
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the developer console", e);
        }
    }

    private static String setting(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }
}
