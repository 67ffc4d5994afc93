package routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The read role: a run announces itself on the results topic, then every configured census source is
 * fetched (HTTP with a fallback over the URL templates, or a local file), unpacked as it streams,
 * identified by its survey month, announced as an attempt at that month, cut into chunks of
 * CHUNK_LINES records for the compute topic, and closed with the attempt's record count and digest;
 * last, the run's summary. The work is the {@code censusReader} bean's; this says in which order.
 */
public class ReadRoutes extends EndpointRouteBuilder {

    /** The source being read (a SourceRead), as a bean-method argument. */
    static final String READ = "${exchangeProperty.read}";

    @Override
    public void configure() {
        from(timer("read-start").repeatCount(1).delay(0))
                .routeId("read-run").routeConfigurationId("read-run-errors")
                .bean("topicSetup", "ensure")
                // in `all`: once its own consumers own their partitions, so the first chunks meet them fetching
                .bean("consumerGroupsReady", "await")
                .setBody(method("censusReader", "startRun"))
                .to(direct("read-to-results"))
                .split(method("censusReader", "sources"))
                    .to(direct("read-source"))
                .end()
                .setBody(method("censusReader", "finishRun"))
                .to(direct("read-to-results"))
                .to(direct("read-done"));

        from(direct("read-source"))
                .routeId("read-source").routeConfigurationId("read-errors")
                .setProperty("read", body())
                .doTry()
                    .to(direct("read-fetch"))
                .doCatch(HttpOperationFailedException.class)
                    .bean("censusReader", "httpFailed(" + READ + ", ${exception.statusCode}, ${exception})")
                .doCatch(Exception.class)
                    .bean("censusReader", "failed(" + READ + ", ${exception})")
                .end()
                .setBody(method("censusReader", "finishSource(" + READ + ")"))
                .filter(body().isNotNull())
                    .to(direct("read-to-results"))
                .end();

        from(direct("read-fetch"))
                .routeId("read-fetch").routeConfigurationId("read-errors")
                .choice()
                    .when(simple("${exchangeProperty.read.isRemote()}")).to(direct("read-download"))
                    .otherwise().bean("censusReader", "openLocal(" + READ + ")")
                .end()
                .choice()
                    .when(simple("${exchangeProperty.read.isFound()}")).to(direct("read-chunks"))
                    .otherwise().bean("censusReader", "missing(" + READ + ")")
                .end();

        // Tries each URL template in turn until one answers 200; 404 moves on. Other statuses, refused
        // connections and time-outs are retried (read-http-retries), then the source fails.
        from(direct("read-download"))
                .routeId("read-download").routeConfigurationId("read-http-retries")
                .loopDoWhile(simple("${exchangeProperty.read.wantsNextLocation()}"))
                    .setProperty("url", method("censusReader", "takeNextLocation(" + READ + ")"))
                    .removeHeaders("*")
                    .setBody(simple("${null}"))
                    .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                    .toD("${exchangeProperty.url}?okStatusCodeRange=200-299,404"
                            + "&disableStreamCache=true&connectTimeout={{read.connect-timeout-ms}}"
                            + "&responseTimeout={{read.response-timeout-ms}}")
                    .bean("censusReader", "onResponse(" + READ + ", ${exchangeProperty.url}, "
                            + "${header.CamelHttpResponseCode}, ${body})")
                .end();

        // The attempt is announced (and acknowledged) before its first chunk, so the results role
        // knows every chunk result it will see. Chunks go in batches, each one Kafka send; raw bytes,
        // so the records reach compute exactly as they were in the file.
        from(direct("read-chunks"))
                .routeId("read-chunks").routeConfigurationId("read-errors")
                .setBody(method("censusReader", "startAttempt(" + READ + ")"))
                .to(direct("read-to-results"))
                .split(method("censusReader", "chunkBatches(" + READ + ")")).streaming().stopOnException()
                    .setBody(method("camelKafkaRecords", "outgoing"))
                    .to(kafka("{{kafka.compute-topic}}")
                            .valueSerializer("org.apache.kafka.common.serialization.ByteArraySerializer"))
                .end()
                .bean("censusReader", "sourceRead(" + READ + ")");

        from(direct("read-to-results"))
                .routeId("read-to-results").routeConfigurationId("read-errors")
                .removeHeaders("*")
                .setHeader(KafkaConstants.KEY, simple("${body.key()}"))
                .setBody(method("censusReader", "json"))
                .to(kafka("{{kafka.results-topic}}").lingerMs("{{kafka.results-linger-ms}}"));

        // the read role ends with the run's status: non-zero when a source failed (a Job retries it)
        from(direct("read-done"))
                .routeId("read-done").routeConfigurationId("read-errors")
                .choice()
                    .when(method("censusReader", "exitsWhenDone"))
                        .setBody(method("censusReader", "exitCode"))
                        .bean("appExit", "accept(${body})")
                    .otherwise()
                        .log("Reader finished; still serving (see /progress)")
                .end();
    }
}
