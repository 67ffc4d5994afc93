package routes;

import kafkascale.PipelineMetrics;
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
        ComputeSupport compute = new ComputeSupport(metrics, settings.number("compute.delay-ms"));

        from(kafka("{{kafka.compute-topic}}")
                .groupId("{{kafka.compute-group}}")
                .consumersCount("{{compute.consumers}}")
                .batching(true)
                .maxPollRecords("{{compute.max-poll-records}}")
                .pollTimeoutMs(500L)
                .autoCommitEnable(false))
                .routeId("compute-chunk")
                .setBody(method(compute, "countBatch"))
                .removeHeaders("*")
                .to(kafka("{{kafka.results-topic}}"));
    }
}
