package routes;

import kafkascale.app.TopicDependentRoutes;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The compute role, the one that scales: a consumer group on the compute topic counts HEHOUSUT per
 * chunk and writes each polled batch's counts to the results topic (one message per attempt, an entry
 * per chunk). Offsets are committed only after the
 * batch's results are acknowledged by Kafka, so a crash means redelivery, never loss; the results
 * role ignores the duplicates.
 */
public class ComputeRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        from(kafka("{{kafka.compute-topic}}")
                .groupId("{{kafka.compute-group}}")
                // names this worker in the group (the scaling view shows it); empty: Kafka's default
                .clientId("{{compute.client-id}}")
                .consumersCount("{{resolved.compute-consumers}}")
                .batching(true)
                .maxPollRecords("{{compute.max-poll-records}}")
                // a partial batch (the end of a run, a trickle) goes out after an empty poll or the interval
                .pollTimeoutMs("{{compute.poll-timeout-ms}}")
                .batchingIntervalMs("{{compute.batching-interval-ms}}")
                .valueDeserializer("org.apache.kafka.common.serialization.ByteArrayDeserializer")
                // offsets are committed by this route, after the results are acknowledged; a failed
                // batch makes the consumer reconnect and read again from the last commit
                .autoCommitEnable(false)
                .allowManualCommit(true)
                .breakOnFirstError(true)
                .advanced().kafkaManualCommitFactory("#class:org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory"))
                .routeId("compute-chunk").routeConfigurationId("compute-retries")
                // started by the topic-setup route once the compute topic exists
                .group(TopicDependentRoutes.GROUP).autoStartup(false)
                .setProperty("polled", body())
                .setBody(method("camelKafkaRecords", "incoming"))
                .setBody(method("chunkCounter", "count"))
                .setBody(method("camelKafkaRecords", "outgoing"))
                // one message per batch, waited for before the commit: no linger to wait out
                .to(kafka("{{kafka.results-topic}}").lingerMs("{{kafka.results-linger-ms}}")
                        .valueSerializer("org.apache.kafka.common.serialization.ByteArraySerializer"))
                .bean("batchOffsetCommit", "commit(${exchangeProperty.polled})");
    }
}
