package kafkascale;

import java.util.Properties;
import kafkascale.app.KafkaBootstrap;
import kafkascale.app.KafkaScaleMain;
import kafkascale.app.RoleSelection;
import kafkascale.console.DevConsoleSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the role named by CAMEL_ROLE. Camel Main does the rest: the beans come from
 * {@link kafkascale.app.KafkaScaleConfiguration}, the routes of the role from the {@code routes} package.
 */
public final class KafkaScaleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaScaleApplication.class);

    private KafkaScaleApplication() {
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = create(new Properties()).run(args);
        } catch (Throwable e) {
            LOG.error("kafka-scale failed to start: {}", e.getMessage(), e);
            exitCode = 1;
        }
        // The embedded broker's threads would otherwise keep a failed JVM alive.
        System.exit(exitCode);
    }

    /** A Camel Main for the configured role; {@code overrides} win over application.properties and the environment. */
    public static KafkaScaleMain create(Properties overrides) {
        KafkaScaleMain main = new KafkaScaleMain();
        if (!overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        main.addMainListener(new RoleSelection(main));
        main.addMainListener(new KafkaBootstrap());
        // the developer console: off, or on loopback only with read-only consoles (see DevConsoleSetup)
        main.addMainListener(new DevConsoleSetup());
        return main;
    }
}
