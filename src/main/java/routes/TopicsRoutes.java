package routes;

import java.util.function.IntConsumer;
import kafkascale.kafka.KafkaTopics.CredentialsRefusedException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/** Creates the role's topics once at start, waiting (with back-off, logged) for the broker. */
public final class TopicsRoutes extends EndpointRouteBuilder {

    private final Runnable ensureTopics;
    private final IntConsumer exit;

    /** @param exit ends the app with an exit code when Kafka refuses its credentials */
    public TopicsRoutes(Runnable ensureTopics, IntConsumer exit) {
        this.ensureTopics = ensureTopics;
        this.exit = exit;
    }

    @Override
    public void configure() {
        // Refused credentials do not get better by waiting: the role stops at start with the reason.
        onException(CredentialsRefusedException.class).handled(true)
                .log(LoggingLevel.ERROR, "${exception.message}")
                .process(exchange -> exit.accept(1));
        // A long-running role keeps trying: its consumers pick the topics up once they exist.
        errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(10_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN).logStackTrace(false).logRetryStackTrace(false));
        from(timer("topics-ensure").repeatCount(1).delay(0))
                .routeId("topics-ensure")
                .process(exchange -> ensureTopics.run());
    }
}
