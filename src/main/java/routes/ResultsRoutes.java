package routes;

import kafkascale.PipelineMetrics;
import kafkascale.results.ResultsAggregate;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.kafka.SeekPolicy;

/**
 * The results role: reads the whole results topic from the start (so a restart rebuilds the same
 * counts), sums chunk results into the aggregate, and serves /results and /progress as JSON.
 */
public final class ResultsRoutes extends EndpointRouteBuilder {

    private final ResultsAggregate aggregate;
    private final PipelineMetrics metrics;

    public ResultsRoutes(ResultsAggregate aggregate, PipelineMetrics metrics) {
        this.aggregate = aggregate;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        ResultsSupport results = new ResultsSupport(aggregate, metrics);

        from(kafka("{{kafka.results-topic}}")
                .groupId("{{kafka.results-group}}")
                .seekTo(SeekPolicy.BEGINNING)
                .pollTimeoutMs(500L)
                .maxPollRecords(2000))
                .routeId("results-count")
                .process(results::apply)
                .filter(exchangeProperty(ResultsSupport.MALFORMED))
                    .to(kafka("{{kafka.results-topic}}.dlq"))
                .end();

        from(platformHttp("/results").httpMethodRestrict("GET"))
                .routeId("results-http")
                .process(exchange -> metrics.resultsServed())
                .setBody(method(aggregate, "results()"))
                .to(direct("json-response"));

        from(platformHttp("/results/{year}").httpMethodRestrict("GET"))
                .routeId("results-year-http")
                .setBody(method(aggregate, "results(${header.year})"))
                .choice()
                    .when(body().isNull())
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                        .setBody(simple("{\"error\":\"no counts for year ${header.year}\"}"))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .otherwise()
                        .to(direct("json-response"))
                .end();

        from(platformHttp("/progress").httpMethodRestrict("GET"))
                .routeId("progress-http")
                .setBody(method(aggregate, "progress"))
                .to(direct("json-response"));

        from(direct("json-response"))
                .routeId("json-response")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }
}
