package kafkascale.console;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.console.DefaultDevConsoleRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's dev console registry holding only the consoles named in {@code management.console-ids}.
 * Camel 4.18 has no setting to leave out single consoles: it registers every console on the
 * classpath, including those that send to any endpoint URI (send), consume (receive), evaluate
 * expressions such as {@code ${env:ADMIN_TOKEN}} (eval-language), print properties, environment or
 * system properties, debug, trace or reload. Camel Main takes a {@code DevConsoleRegistry} bean from
 * the registry in place of its own; this one refuses the consoles not named, for /q/dev and for the
 * Camel CLI connector alike, and makes the consoles that can change routes read-only.
 */
public final class SafeDevConsoleRegistry extends DefaultDevConsoleRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SafeDevConsoleRegistry.class);

    /** Consoles that start/stop/suspend routes or processors through their {@code action} option. */
    static final Set<String> WITH_ACTIONS = Set.of("route", "route-group", "processor");

    private final Set<String> allowed;

    public SafeDevConsoleRegistry(Set<String> allowed) {
        this.allowed = Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
    }

    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public boolean register(DevConsole console) {
        if (!allowed.contains(console.getId())) {
            LOG.debug("Dev console {} left out (not in management.console-ids)", console.getId());
            return false;
        }
        if (WITH_ACTIONS.contains(console.getId()) && !(console instanceof ReadOnlyDevConsole)) {
            console = new ReadOnlyDevConsole(console);
        }
        return super.register(console);
    }

    @Override
    public DevConsole resolveById(String id) {
        if (!allowed.contains(id)) {
            return null;
        }
        DevConsole found = super.resolveById(id);
        if (found == null) {
            return null;
        }
        // what register() kept (read-only where it matters), not the console Camel just resolved
        return getConsole(id).orElse(null);
    }
}
