package kafkascale;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafkascale.census.CensusSource;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SourcePlan;
import kafkascale.kafka.EmbeddedKafkaBroker;
import kafkascale.kafka.KafkaTopics;
import kafkascale.results.ResultsAggregate;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.spi.CliConnectorFactory;
import java.util.Map;
import kafkascale.admin.AdminGuard;
import kafkascale.kafka.KafkaAdmin;
import routes.AdminCommandRoutes;
import routes.AdminRoutes;
import routes.AdminSupport;
import routes.ComputeRoutes;
import routes.PageRoutes;
import routes.TopicsRoutes;
import routes.ReadRoutes;
import routes.ResultsRoutes;
import routes.ScalingRoutes;
import kafkascale.scaling.ComputeGroupSampler;
import kafkascale.scaling.ScalingWindow;
import routes.Settings;

/**
 * Starts the role named by CAMEL_ROLE: ensures its topics, starts the embedded broker when `all`
 * has no brokers configured, and adds the role's routes. Everything else is Camel Main.
 */
public final class KafkaScaleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaScaleApplication.class);
    /** Where another process finds the broker of an `all` run when KAFKA_BROKERS is not set. */
    static final String DEFAULT_BROKERS = "127.0.0.1:9092";

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
        main.addMainListener(new RoleSetup(main));
        return main;
    }

    /** Camel Main that a finished one-shot role or reader can end with an exit code. */
    public static final class KafkaScaleMain extends Main {
        KafkaScaleMain() {
            super(KafkaScaleApplication.class);
        }

        /** Ends the run with {@code code} (from any thread). */
        public void finish(int code) {
            exitCode.compareAndSet(UNINITIALIZED_EXIT_CODE, code);
            new Thread(this::completed, "kafka-scale-done").start();
        }
    }

    /** Runs before Camel configures components and routes, once application.properties is loaded. */
    private static final class RoleSetup extends MainListenerSupport {
        private final KafkaScaleMain main;
        private EmbeddedKafkaBroker broker;

        RoleSetup(KafkaScaleMain main) {
            this.main = main;
        }

        @Override
        public void beforeConfigure(BaseMainSupport ignored) {
            try {
                setUpRole();
            } catch (RuntimeException e) {
                afterStop(ignored);
                throw e;
            }
        }

        private void setUpRole() {
            CamelContext context = main.getCamelContext();
            Settings settings = new Settings(context);
            Role role = Role.parse(settings.role());
            PropertiesComponent properties = context.getPropertiesComponent();

            if (role.oneShot()) {
                // a command, not a service: no ports of its own
                properties.addOverrideProperty("camel.server.enabled", "false");
                properties.addOverrideProperty("camel.management.enabled", "false");
            }
            String brokers = settings.brokers();
            if (brokers.isEmpty()) {
                if (role == Role.ALL) {
                    broker = EmbeddedKafkaBroker.start(settings.number("kafka.embedded-port"));
                    brokers = broker.bootstrapServers();
                } else {
                    brokers = DEFAULT_BROKERS;
                    LOG.info("KAFKA_BROKERS is not set: using {}", brokers);
                }
            }
            properties.addOverrideProperty("resolved.brokers", brokers);
            LOG.info("kafka-scale role {} on Kafka {}", role.name().toLowerCase(java.util.Locale.ROOT), brokers);

            KafkaTopics topics = new KafkaTopics(brokers, settings.brokerWait());
            KafkaAdmin admin = new KafkaAdmin(topics, settings.number("admin.timeout-ms"));
            Map<String, String> groupOfTopic = Map.of(
                    settings.computeTopic(), settings.text("kafka.compute-group"),
                    settings.resultsTopic(), settings.text("kafka.results-group"));
            resolvePort(properties, settings, "http.port", "resolved.http-port");
            resolvePort(properties, settings, "management.port", "resolved.management-port");
            if (role.oneShot()) {
                main.configure().addRoutesBuilder(new AdminCommandRoutes(role, admin, groupOfTopic, main::finish));
                return;
            }

            bindCliConnector(context);
            main.configure().addRoutesBuilder(new AdminRoutes(
                    new AdminSupport(admin, new AdminGuard(settings.text("admin.token")), groupOfTopic)));

            Runnable ensureTopics = () -> {
                short resultsReplication = (short) settings.number("kafka.results-replication");
                topics.ensure(settings.resultsTopic(), settings.number("kafka.results-partitions"), resultsReplication);
                // dead-letter topics for messages another client wrote that cannot be read
                topics.ensure(settings.resultsTopic() + ".dlq", 1, resultsReplication);
                if (role.reads() || role.computes()) {
                    topics.ensure(settings.computeTopic(), settings.number("kafka.compute-partitions"),
                            (short) settings.number("kafka.compute-replication"));
                    topics.ensure(settings.computeTopic() + ".dlq", 1, resultsReplication);
                }
            };
            // In a route, not here: the role starts (and reports not-ready) while the broker is away.
            main.configure().addRoutesBuilder(new TopicsRoutes(ensureTopics));

            PipelineMetrics metrics = new PipelineMetrics(
                    () -> context.getRegistry().findSingleByType(MeterRegistry.class));
            // Camel's meter registry exists once the context starts: put every series on the first scrape, at zero.
            try {
                context.addStartupListener((startedContext, alreadyStarted) -> metrics.registerAll(role));
                if (role.serves()) {
                    context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                            PageRoutes.startLast(started);
                        }
                    });
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the metrics start-up listener", e);
            }
            if (role.reads()) {
                Runnable whenDone = role == Role.READ && settings.flag("read.exit-when-done")
                        ? () -> main.finish(0)
                        : () -> LOG.info("Reader finished; still serving (see /progress)");
                main.configure().addRoutesBuilder(new ReadRoutes(sources(role, settings), metrics, ensureTopics, whenDone));
            }
            if (role.computes()) {
                main.configure().addRoutesBuilder(new ComputeRoutes(metrics));
            }
            if (role.serves()) {
                main.configure().addRoutesBuilder(new ResultsRoutes(new ResultsAggregate(), metrics));
                // --- scaling view (issue #16): the compute-group sampler bean and its routes
                bindComputeGroupSampler(context, settings, topics, metrics);
                main.configure().addRoutesBuilder(new ScalingRoutes());
                // --- end scaling view
                main.configure().addRoutesBuilder(new PageRoutes());
            }
        }

        @Override
        public void afterStop(BaseMainSupport ignored) {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }
    }

    /** Port 0 means any free port: chosen here so that the log and the endpoints summary name the real one. */
    private static void resolvePort(PropertiesComponent properties, Settings settings, String key, String resolvedKey) {
        int port = settings.number(key);
        if (port == 0) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port for " + key, e);
            }
        }
        properties.addOverrideProperty(resolvedKey, Integer.toString(port));
        LOG.info("{} = {}", key, port);
    }

    // --- scaling view (issue #16)
    /** The sampler behind GET /scaling, bound under the name ScalingRoutes calls; closed when Camel stops. */
    private static void bindComputeGroupSampler(CamelContext context, Settings settings, KafkaTopics topics,
                                                PipelineMetrics metrics) {
        String timeoutMs = Integer.toString(settings.number("scaling.kafka-timeout-ms"));
        java.util.function.Supplier<org.apache.kafka.clients.admin.Admin> admin = () -> {
            Properties props = topics.adminConfig();
            props.put(org.apache.kafka.clients.admin.AdminClientConfig.CLIENT_ID_CONFIG, "kafka-scale-scaling");
            props.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
            props.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
            return org.apache.kafka.clients.admin.Admin.create(props);
        };
        ScalingWindow window = new ScalingWindow(java.time.Duration.ofSeconds(settings.number("scaling.window-seconds")),
                java.time.Duration.ofMillis(settings.number("scaling.sample-interval-ms")),
                java.time.Duration.ofMillis(settings.number("scaling.rate-span-ms")));
        ComputeGroupSampler sampler = new ComputeGroupSampler(admin, settings.computeTopic(),
                settings.text("kafka.compute-group"), java.time.Duration.ofMillis(Long.parseLong(timeoutMs)), window,
                java.time.Clock.systemUTC(), metrics::registry);
        context.getRegistry().bind(ScalingRoutes.SAMPLER, ComputeGroupSampler.class, sampler, null, "close");
    }
    // --- end scaling view

    /** Lets Camel JBang ({@code camel ps}, {@code camel get route}) find and inspect this JVM. */
    private static void bindCliConnector(CamelContext context) {
        if (context.getRegistry().findSingleByType(CliConnectorFactory.class) == null) {
            DefaultCliConnectorFactory factory = new DefaultCliConnectorFactory();
            factory.setRuntime("camel-main");
            factory.setRuntimeStartClass(KafkaScaleApplication.class.getName());
            context.getRegistry().bind("cliConnectorFactory", factory);
        }
    }

    /** The configured sources; for `all` with none configured, a generated two-month sample. */
    static List<CensusSource> sources(Role role, Settings settings) {
        String years = settings.text("census.years");
        String files = settings.text("census.files");
        if (role == Role.ALL && years.isEmpty() && files.isEmpty()) {
            files = String.join(",", generateSample(settings));
        } else if (years.isEmpty() && files.isEmpty()) {
            throw new IllegalArgumentException("the read role needs CENSUS_YEARS (with CENSUS_MONTHS) or CENSUS_FILES");
        }
        return SourcePlan.plan(years, settings.text("census.months"), settings.text("census.url-templates"), files);
    }

    private static List<String> generateSample(Settings settings) {
        String configured = settings.text("sample.dir");
        Path dir = configured.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "kafka-scale-sample") : Path.of(configured);
        int perMonth = settings.number("sample.records-per-month");
        Path marker = dir.resolve("records-per-month-" + perMonth);
        List<String> files = new ArrayList<>();
        try {
            boolean fresh = Files.exists(marker);
            SampleGenerator generator = new SampleGenerator(2019L);
            for (int month = 1; month <= 2; month++) {
                Path file = dir.resolve(SampleGenerator.fileName(2019, month, SampleGenerator.Shape.DAT_GZ));
                if (!fresh) {
                    generator.writeMonth(dir, 2019, month, perMonth, SampleGenerator.Shape.DAT_GZ, false);
                }
                files.add(file.toString());
            }
            if (!fresh) {
                Files.writeString(marker, "generated by kafka-scale\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample census files to " + dir, e);
        }
        LOG.info("No CENSUS_YEARS or CENSUS_FILES: counting a generated sample of {} records a month: {}", perMonth, files);
        return files;
    }
}
