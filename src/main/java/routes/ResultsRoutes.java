package routes;

import kafkascale.app.TopicDependentRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.kafka.SeekPolicy;

/**
 * The results role: reads the whole results topic from the start (so a restart rebuilds the same
 * counts), sums chunk results into the aggregate, and serves /results and /progress as JSON.
 */
public class ResultsRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        // Each replica reads every partition from the start, in a group of its own that commits nothing:
        // N replicas serve the same numbers, and a restart rebuilds them. A polled batch is one exchange
        // (results messages are small and many); what cannot be counted goes to the dead-letter topic
        // (results-dead-letter, in ErrorHandlingRoutes).
        from(kafka("{{kafka.results-topic}}")
                .groupId("{{resolved.results-group}}")
                .seekTo(SeekPolicy.BEGINNING)
                .autoCommitEnable(false)
                .batching(true)
                .pollTimeoutMs("{{results.poll-timeout-ms}}")
                .batchingIntervalMs("{{results.batching-interval-ms}}")
                .maxPollRecords("{{results.max-poll-records}}")
                .valueDeserializer("org.apache.kafka.common.serialization.ByteArrayDeserializer"))
                .routeId("results-count").routeConfigurationId("results-dead-letter")
                // started by the topic-setup route once the results topic exists
                .group(TopicDependentRoutes.GROUP).autoStartup(false)
                .setBody(method("camelKafkaRecords", "incoming"))
                .bean("resultsApplier", "applyAll");

        // readiness waits until the replay has reached the ends the results topic had at start
        from(timer("results-replay-target").repeatCount(1).delay(0))
                .routeId("results-replay-target").routeConfigurationId("topic-setup-broker-wait")
                .group(TopicDependentRoutes.GROUP).autoStartup(false)
                .setBody(method("kafkaTopics", "endOffsets('{{kafka.results-topic}}')"))
                .bean("replayProgress", "target");

        from(platformHttp("/results").httpMethodRestrict("GET"))
                .routeId("results-http")
                .bean("pipelineMetrics", "resultsServed")
                .setBody(method("resultsLedger", "results()"))
                .to(direct("results-json"));

        from(platformHttp("/results/{year}").httpMethodRestrict("GET"))
                .routeId("results-year-http")
                .setBody(method("resultsLedger", "results(${header.year})"))
                .choice()
                    .when(body().isNull())
                        .setBody(simple("{\"error\":\"no counts for year ${header.year}\"}"))
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .otherwise()
                        .to(direct("results-json"))
                .end();

        from(platformHttp("/progress").httpMethodRestrict("GET"))
                .routeId("results-progress-http")
                .setBody(method("resultsLedger", "progress"))
                .to(direct("results-json"));

        from(direct("results-json"))
                .routeId("results-json")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }
}
