package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/** Creates the role's topics once at start, waiting (with back-off, logged) for the broker. */
public final class TopicsRoutes extends EndpointRouteBuilder {

    private final Runnable ensureTopics;

    public TopicsRoutes(Runnable ensureTopics) {
        this.ensureTopics = ensureTopics;
    }

    @Override
    public void configure() {
        // A long-running role keeps trying: its consumers pick the topics up once they exist.
        errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(10_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN).logStackTrace(false).logRetryStackTrace(false));
        from(timer("topics-ensure").repeatCount(1).delay(0))
                .routeId("topics-ensure")
                .process(exchange -> ensureTopics.run());
    }
}
