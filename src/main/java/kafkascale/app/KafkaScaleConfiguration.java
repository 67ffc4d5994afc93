package kafkascale.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import kafkascale.scaling.ComputeGroupSampler;
import kafkascale.scaling.ScalingWindow;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.ArrayList;
import java.util.List;
import kafkascale.PipelineMetrics;
import kafkascale.Role;
import kafkascale.admin.AdminCommands;
import kafkascale.admin.AdminGuard;
import kafkascale.admin.AdminService;
import kafkascale.census.CensusSource;
import kafkascale.census.SourcePlan;
import kafkascale.compute.ChunkCounter;
import kafkascale.kafka.BatchOffsetCommit;
import kafkascale.kafka.CamelKafkaRecords;
import kafkascale.kafka.ConsumerGroupsReady;
import kafkascale.kafka.KafkaAdmin;
import kafkascale.kafka.KafkaClientSettings;
import kafkascale.kafka.KafkaSecurity;
import kafkascale.kafka.KafkaTopics;
import kafkascale.kafka.MeteredKafkaClientFactory;
import kafkascale.kafka.PipelineTopics;
import kafkascale.kafka.TopicSetup;
import kafkascale.page.PageAssets;
import kafkascale.read.CensusReader;
import kafkascale.read.GeneratedSample;
import kafkascale.results.ReplayProgress;
import kafkascale.results.ResultsApplier;
import kafkascale.results.ResultsLedger;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's beans, built from application.properties (and the environment behind it), as camel-examples
 * {@code main}'s MyConfiguration does. The routes refer to them by name. They are lazy: a role creates
 * only the beans its routes use (the compute role never plans census sources, for instance).
 */
@Configuration
public class KafkaScaleConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaScaleConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        // Camel's meter registry exists once the context starts: put every series on the first scrape, at zero.
        context.addStartupListener((started, alreadyStarted) -> started.getRegistry()
                .lookupByNameAndType("pipelineMetrics", PipelineMetrics.class)
                .registerAll(role(started.getPropertiesComponent().resolveProperty("kafka-scale.role").orElse(""))));
    }

    // --- Kafka

    /** What every Kafka client of this JVM shares: the brokers and the security settings (SASL/TLS). */
    @BindToRegistry(lazy = true)
    public KafkaClientSettings kafkaClientSettings(@PropertyInject("resolved.brokers") String brokers,
                                                   @PropertyInject("kafka.broker-wait-seconds") int brokerWaitSeconds,
                                                   CamelContext context) {
        // raw values (a password may end in a space); empty ones are not set
        KafkaSecurity security = KafkaSecurity.fromSettings(key -> context.getPropertiesComponent().resolveProperty(key).orElse(""));
        LOG.info("Kafka security: {}", security);
        return new KafkaClientSettings(brokers, security, Duration.ofSeconds(brokerWaitSeconds));
    }

    @BindToRegistry(lazy = true)
    public PipelineTopics pipelineTopics(@PropertyInject("kafka.compute-topic") String compute,
                                         @PropertyInject("kafka.compute-partitions") int computePartitions,
                                         @PropertyInject("kafka.compute-replication") short computeReplication,
                                         @PropertyInject("kafka.compute-dlq-topic") String computeDeadLetter,
                                         @PropertyInject("kafka.compute-group") String computeGroup,
                                         @PropertyInject("kafka.results-topic") String results,
                                         @PropertyInject("kafka.results-partitions") int resultsPartitions,
                                         @PropertyInject("kafka.results-replication") short resultsReplication,
                                         @PropertyInject("kafka.results-dlq-topic") String resultsDeadLetter,
                                         @PropertyInject("kafka.results-group") String resultsGroup) {
        return new PipelineTopics(compute, computePartitions, computeReplication, computeDeadLetter, computeGroup,
                results, resultsPartitions, resultsReplication, resultsDeadLetter, resultsGroup);
    }

    @BindToRegistry(lazy = true)
    public KafkaTopics kafkaTopics(@BeanInject("kafkaClientSettings") KafkaClientSettings settings) {
        return new KafkaTopics(settings);
    }

    @BindToRegistry(lazy = true)
    public KafkaAdmin kafkaAdmin(@BeanInject("kafkaTopics") KafkaTopics topics,
                                 @PropertyInject("admin.timeout-ms") long timeoutMs) {
        return new KafkaAdmin(topics, timeoutMs);
    }

    /** Creates the role's topics if missing (the topic-setup route runs it at start). */
    @BindToRegistry(lazy = true)
    public TopicSetup topicSetup(@BeanInject("kafkaTopics") KafkaTopics kafka,
                                 @BeanInject("pipelineTopics") PipelineTopics topics,
                                 @PropertyInject("kafka-scale.role") String role) {
        Role r = role(role);
        return new TopicSetup(kafka, topics, r.reads(), r.computes(), r.serves());
    }

    /** Starts the routes that read the role's topics, once the topic-setup route has made them. */
    @BindToRegistry(lazy = true)
    public TopicDependentRoutes topicDependentRoutes(CamelContext context) {
        return new TopicDependentRoutes(context);
    }

    /**
     * The consumer groups a run waits for before it reads: in {@code all}, its own compute and results
     * consumers'; none for a reader alone (compute pods may be scaled to zero until chunks arrive).
     */
    @BindToRegistry(lazy = true)
    public ConsumerGroupsReady consumerGroupsReady(@BeanInject("kafkaTopics") KafkaTopics kafka,
                                                   @BeanInject("pipelineTopics") PipelineTopics topics,
                                                   @PropertyInject("kafka-scale.role") String role,
                                                   @PropertyInject("resolved.results-group") String resultsGroup,
                                                   @PropertyInject("read.wait-for-consumers-seconds") int seconds) {
        Role r = role(role);
        List<ConsumerGroupsReady.GroupTopic> groups = new ArrayList<>();
        if (r.reads() && r.computes()) {
            groups.add(new ConsumerGroupsReady.GroupTopic(topics.computeGroup(), topics.compute()));
        }
        if (r.reads() && r.serves()) {
            // the results consumer's group is this JVM's own (every replica reads every result)
            groups.add(new ConsumerGroupsReady.GroupTopic(resultsGroup, topics.results()));
        }
        return new ConsumerGroupsReady(kafka, groups, Duration.ofSeconds(seconds));
    }

    /** camel-kafka's client factory (camel.component.kafka.kafka-client-factory = #bean:kafkaClientFactory). */
    @BindToRegistry(lazy = true)
    public MeteredKafkaClientFactory kafkaClientFactory(@BeanInject("kafkaClientSettings") KafkaClientSettings settings,
                                                        @PropertyInject("kafka.results-topic") String resultsTopic,
                                                        CamelContext context) {
        return new MeteredKafkaClientFactory(settings, resultsTopic,
                () -> context.getRegistry().findSingleByType(MeterRegistry.class));
    }

    @BindToRegistry(lazy = true)
    public CamelKafkaRecords camelKafkaRecords(CamelContext context) {
        return new CamelKafkaRecords(context);
    }

    @BindToRegistry(lazy = true)
    public BatchOffsetCommit batchOffsetCommit(@BeanInject("pipelineMetrics") PipelineMetrics metrics) {
        return new BatchOffsetCommit(metrics::offsetCommitFailed);
    }

    // --- the roles' work

    @BindToRegistry(lazy = true)
    public PipelineMetrics pipelineMetrics(CamelContext context) {
        return new PipelineMetrics(() -> context.getRegistry().findSingleByType(MeterRegistry.class));
    }

    @BindToRegistry(lazy = true)
    public CensusReader censusReader(@PropertyInject("kafka-scale.role") String role,
                                     @PropertyInject("census.years") String years,
                                     @PropertyInject("census.months") String months,
                                     @PropertyInject("census.url-templates") String urlTemplates,
                                     @PropertyInject("census.files") String files,
                                     @PropertyInject("sample.dir") String sampleDir,
                                     @PropertyInject("sample.records-per-month") int sampleRecordsPerMonth,
                                     @PropertyInject("read.chunk-lines") int chunkLines,
                                     @PropertyInject("read.batch-chunks") int batchChunks,
                                     @PropertyInject("read.ahead-batches") int aheadBatches,
                                     @PropertyInject("read.max-line-chars") int maxLineChars,
                                     @PropertyInject("read.max-uncompressed-bytes") long maxUncompressedBytes,
                                     @PropertyInject("read.exit-when-done") boolean exitWhenDone,
                                     @BeanInject("pipelineMetrics") PipelineMetrics metrics) {
        if (role(role) == Role.ALL && years.isBlank() && files.isBlank()) {
            files = String.join(",", GeneratedSample.files(sampleDir, sampleRecordsPerMonth));
            LOG.info("No CENSUS_YEARS or CENSUS_FILES: counting a generated sample of {} records a month: {}",
                    sampleRecordsPerMonth, files);
        } else if (years.isBlank() && files.isBlank()) {
            throw new IllegalArgumentException("the read role needs CENSUS_YEARS (with CENSUS_MONTHS) or CENSUS_FILES");
        }
        List<CensusSource> sources = SourcePlan.plan(years, months, urlTemplates, files);
        return new CensusReader(sources, new CensusReader.Limits(chunkLines, batchChunks, aheadBatches, maxLineChars,
                maxUncompressedBytes),
                metrics, role(role) == Role.READ && exitWhenDone);
    }

    @BindToRegistry(lazy = true)
    public ChunkCounter chunkCounter(@BeanInject("pipelineMetrics") PipelineMetrics metrics,
                                     @PropertyInject("compute.delay-ms") long delayMs,
                                     @PropertyInject("kafka.compute-dlq-topic") String deadLetterTopic) {
        return new ChunkCounter(metrics, delayMs, deadLetterTopic);
    }

    /** The counts by survey month, rebuilt from the results topic. */
    @BindToRegistry(lazy = true)
    public ResultsLedger resultsLedger() {
        return new ResultsLedger();
    }

    @BindToRegistry(lazy = true)
    public ResultsApplier resultsApplier(@BeanInject("resultsLedger") ResultsLedger ledger,
                                         @BeanInject("replayProgress") ReplayProgress replay,
                                         @BeanInject("pipelineMetrics") PipelineMetrics metrics) {
        return new ResultsApplier(ledger, replay, metrics);
    }

    @BindToRegistry(lazy = true)
    public ReplayProgress replayProgress() {
        return new ReplayProgress();
    }

    /** Readiness DOWN while a results role replays the results topic (found by Camel health as a registry bean). */
    @BindToRegistry
    public ReplayReadinessCheck replayReadiness(@PropertyInject("kafka-scale.role") String role, CamelContext context) {
        return new ReplayReadinessCheck(context, role(role).serves());
    }

    /**
     * Watch it scale: samples the compute group's members, partitions, offsets and lag from Kafka for
     * /scaling and the page. Its own admin client id and short timeouts, so a slow broker never
     * delays a sample past the next.
     */
    @BindToRegistry(value = "computeGroupSampler", lazy = true)
    public ComputeGroupSampler computeGroupSampler(@BeanInject("kafkaClientSettings") KafkaClientSettings settings,
                                                   @BeanInject("pipelineMetrics") PipelineMetrics metrics,
                                                   @PropertyInject("kafka.compute-topic") String computeTopic,
                                                   @PropertyInject("kafka.compute-group") String computeGroup,
                                                   @PropertyInject("scaling.kafka-timeout-ms") long timeoutMs,
                                                   @PropertyInject("scaling.window-seconds") long windowSeconds,
                                                   @PropertyInject("scaling.sample-interval-ms") long intervalMs,
                                                   @PropertyInject("scaling.rate-span-ms") long rateSpanMs) {
        Supplier<Admin> admin = () -> {
            Properties props = settings.adminConfig();
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-scale-scaling");
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
            return Admin.create(props);
        };
        ScalingWindow window = new ScalingWindow(Duration.ofSeconds(windowSeconds), Duration.ofMillis(intervalMs),
                Duration.ofMillis(rateSpanMs));
        return new ComputeGroupSampler(admin, computeTopic, computeGroup, Duration.ofMillis(timeoutMs), window,
                Clock.systemUTC(), metrics::registry);
    }

    @BindToRegistry(lazy = true)
    public PageAssets pageAssets() {
        return new PageAssets();
    }

    // --- admin

    @BindToRegistry(lazy = true)
    public AdminGuard adminGuard(@PropertyInject("admin.token") String token) {
        return new AdminGuard(token);
    }

    @BindToRegistry(lazy = true)
    public AdminService adminService(@BeanInject("kafkaAdmin") KafkaAdmin admin,
                                     @BeanInject("pipelineTopics") PipelineTopics topics) {
        return new AdminService(admin, topics);
    }

    /** The one-shot roles' command (TOPIC, GROUP, FORCE). */
    @BindToRegistry(lazy = true)
    public AdminCommands adminCommands(@PropertyInject("kafka-scale.role") String role,
                                       @BeanInject("adminService") AdminService admin,
                                       @PropertyInject("admin.topic") String topic,
                                       @PropertyInject("admin.group") String group,
                                       @PropertyInject("admin.force") boolean force) {
        return new AdminCommands(role(role), admin, topic, group, force, System.out, System.err);
    }

    private static Role role(String value) {
        return Role.parse(value);
    }
}
