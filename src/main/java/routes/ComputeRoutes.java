package routes;

import kafkascale.PipelineMetrics;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The compute role, the one that scales: a consumer group on the compute topic counts HEHOUSUT per
 * chunk and writes one result per chunk to the results topic. Offsets are committed only after the
 * batch's results are acknowledged by Kafka, so a crash means redelivery, never loss; the results
 * role ignores the duplicates.
 */
public final class ComputeRoutes extends EndpointRouteBuilder {

    private final PipelineMetrics metrics;

    public ComputeRoutes(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        Settings settings = new Settings(getContext());
        ComputeSupport compute = new ComputeSupport(metrics, settings.number("compute.delay-ms"),
                settings.computeTopic() + ".dlq");
        // a results batch that cannot be written is retried, then the chunks are read again
        errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(1000).backOffMultiplier(2)
                .retryAttemptedLogLevel(LoggingLevel.WARN));

        from(kafka("{{kafka.compute-topic}}")
                .groupId("{{kafka.compute-group}}")
                // names this worker in the group (the scaling view shows it); empty: Kafka's default
                .clientId("{{compute.client-id}}")
                .consumersCount("{{compute.consumers}}")
                .batching(true)
                .maxPollRecords("{{compute.max-poll-records}}")
                .pollTimeoutMs(500L)
                // offsets are committed by this route, after the results are acknowledged; a failed
                // batch makes the consumer reconnect and read again from the last commit
                .autoCommitEnable(false)
                .allowManualCommit(true)
                .breakOnFirstError(true)
                .advanced().kafkaManualCommitFactory(new DefaultKafkaManualCommitFactory()))
                .routeId("compute-chunk")
                .setProperty(ComputeSupport.CHUNKS, body())
                .setBody(method(compute, "countBatch"))
                .removeHeaders("*")
                .to(kafka("{{kafka.results-topic}}"))
                .process(compute::commitBatch);
    }
}
