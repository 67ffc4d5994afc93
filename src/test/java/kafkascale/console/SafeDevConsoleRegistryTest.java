package kafkascale.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.junit.jupiter.api.Test;

/** The console registry and the start-up guard on their own, on a real CamelContext with camel-console. */
class SafeDevConsoleRegistryTest {

    @Test
    void onlyNamedConsolesResolveAndRouteActionsAreDropped() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            // the context's own console registry is not under test, and its start can race with its own
            // scan of the classpath (a ConcurrentModificationException inside Camel, once in CI): off
            context.setDevConsole(false);
            // a lambda, not a RouteBuilder subclass: Camel Main in other tests scans package kafkascale for those
            RouteBuilder.addRoutes(context, routes -> routes.from("timer:tick?period=60000").routeId("tick").to("log:tick?level=OFF"));
            context.start();
            SafeDevConsoleRegistry registry = new SafeDevConsoleRegistry(Set.of("route", "context"));
            registry.setCamelContext(context);
            registry.start();

            for (String executing : new String[] {"send", "receive", "eval-language", "properties", "system-properties", "debug"}) {
                assertNull(registry.resolveById(executing), executing);
            }
            registry.loadDevConsoles(true);
            assertEquals(Set.of("route", "context"), Set.copyOf(registry.getConsoleIDs()), "classpath scan keeps only the named");

            DevConsole route = registry.resolveById("route");
            assertInstanceOf(ReadOnlyDevConsole.class, route);
            route.call(DevConsole.MediaType.JSON, Map.of("action", "stop", "filter", "*"));
            route.call(DevConsole.MediaType.TEXT, Map.of("action", "suspend", "filter", "tick"));
            assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("tick"), "the route still runs");
            assertTrue(route.call(DevConsole.MediaType.TEXT, Map.of()).toString().contains("Id: tick"), "and is listed");
            assertNotNull(registry.resolveById("context"));
        }
    }

    @Test
    void executingEndpointsAreRefusedOnANonLoopbackManagementHost() {
        HttpManagementServerConfigurationProperties management = new HttpManagementServerConfigurationProperties(null);
        management.setHost("0.0.0.0");
        management.setHealthCheckEnabled(true);
        management.setMetricsEnabled(true);
        DevConsoleSetup.refuseExecutingEndpointsOnOpenInterface(management); // health and metrics: fine

        management.setDevConsoleEnabled(true);
        management.setUploadEnabled(true);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DevConsoleSetup.refuseExecutingEndpointsOnOpenInterface(management));
        assertTrue(refused.getMessage().startsWith("camel.management.dev-console-enabled, camel.management.upload-enabled"
                + " would answer on 0.0.0.0"), refused.getMessage());

        management.setHost("127.0.0.1");
        DevConsoleSetup.refuseExecutingEndpointsOnOpenInterface(management); // loopback: the operator's choice
        assertTrue(DevConsoleSetup.isLoopback("::1"));
        assertFalse(DevConsoleSetup.isLoopback("0.0.0.0"));
        assertFalse(DevConsoleSetup.isLoopback(""));
    }
}
