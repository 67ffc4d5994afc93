package routes;

import java.util.List;
import kafkascale.PipelineMetrics;
import kafkascale.census.CensusSource;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The read role: every configured census month is fetched (HTTP with a fallback over the URL
 * templates, or a local file), unpacked as it streams, cut into chunks of CHUNK_LINES records and
 * written to the compute topic; a summary per source and one per run go to the results topic.
 */
public final class ReadRoutes extends EndpointRouteBuilder {

    private final List<CensusSource> sources;
    private final PipelineMetrics metrics;
    private final Runnable ensureTopics;
    private final Runnable whenDone;

    /**
     * @param ensureTopics creates the topics if missing, waiting for the broker (run before reading)
     * @param whenDone     what to do once every source is read (the read role stops the JVM)
     */
    public ReadRoutes(List<CensusSource> sources, PipelineMetrics metrics, Runnable ensureTopics, Runnable whenDone) {
        this.sources = sources;
        this.metrics = metrics;
        this.ensureTopics = ensureTopics;
        this.whenDone = whenDone;
    }

    @Override
    public void configure() {
        Settings settings = new Settings(getContext());
        ReadSupport reader = new ReadSupport(settings, metrics, sources);
        // A failing source is caught, logged once and summarised by read-source's doCatch.
        errorHandler(noErrorHandler());

        from(timer("read-start").repeatCount(1).delay(0))
                .routeId("read-run")
                .process(exchange -> ensureTopics.run())
                .setBody(method(reader, "plan"))
                .split(body())
                    .to(direct("read-source"))
                .end()
                .process(reader::runSummary)
                .to(kafka("{{kafka.results-topic}}"))
                .process(exchange -> whenDone.run());

        from(direct("read-source"))
                .routeId("read-source")
                .process(reader::beginSource)
                .doTry()
                    .to(direct("read-fetch"))
                .doCatch(Exception.class)
                    .process(reader::sourceFailed)
                .end()
                .process(reader::sourceSummary)
                .to(kafka("{{kafka.results-topic}}"));

        from(direct("read-fetch"))
                .routeId("read-fetch")
                .choice()
                    .when(method(reader, "isRemote")).to(direct("read-download"))
                    .otherwise().process(reader::openLocal)
                .end()
                .choice()
                    .when(method(reader, "found")).to(direct("read-chunks"))
                    .otherwise().process(reader::sourceMissing)
                .end();

        from(direct("read-chunks"))
                .routeId("read-chunks")
                .split(method(reader, "chunkBatches")).streaming().stopOnException()
                    .to(kafka("{{kafka.compute-topic}}"))
                .end()
                .process(reader::sourceRead);

        // Tries each URL template in turn until one answers 200; 404 moves on. Other statuses,
        // refused connections and time-outs are retried with back-off, then the source fails.
        from(direct("read-download"))
                .routeId("read-download")
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(settings.number("read.http-retries"))
                        .redeliveryDelay(settings.number("read.http-retry-delay-ms"))
                        .backOffMultiplier(2).useExponentialBackOff()
                        .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
                        .logExhausted(false).logStackTrace(false))
                .loopDoWhile(method(reader, "nextLocation"))
                    .toD("${exchangeProperty." + ReadSupport.URL + "}?okStatusCodeRange=200-299,404"
                            + "&disableStreamCache=true&connectTimeout={{read.connect-timeout-ms}}"
                            + "&responseTimeout={{read.response-timeout-ms}}")
                    .process(reader::onResponse)
                .end();
    }
}
