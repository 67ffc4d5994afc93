package routes;

import kafkascale.admin.AdminError;
import kafkascale.kafka.KafkaTopics.CredentialsRefusedException;
import kafkascale.kafka.TopicSetup.RetentionRefused;
import kafkascale.results.ResultsApplier;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How the routes handle failures, declared once: each route names the configuration it uses with
 * {@code routeConfigurationId}.
 */
public class ErrorHandlingRoutes extends RouteConfigurationBuilder {

    @PropertyInject("read.http-retries")
    int httpRetries;
    @PropertyInject("read.http-retry-delay-ms")
    long httpRetryDelayMs;

    @Override
    public void configuration() {
        // The reader handles a failing source itself (logged once and summarised), so nothing is retried...
        routeConfiguration("read-errors").errorHandler(noErrorHandler());

        // ...and a run that cannot even start or report (no broker within KAFKA_BROKER_WAIT_SECONDS)
        // ends the read role with a clear error and a non-zero status, so a Job retries it.
        routeConfiguration("read-run-errors")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.ERROR, "Reader run failed: ${exception.message}")
                    .choice()
                        .when(method("censusReader", "exitsWhenDone")).bean("appExit", "accept(2)")
                    .end();

        // ...but a download: HTTP 5xx, refused connections and time-outs are retried with back-off.
        routeConfiguration("read-http-retries").errorHandler(defaultErrorHandler()
                .maximumRedeliveries(httpRetries).redeliveryDelay(httpRetryDelayMs)
                .backOffMultiplier(2).useExponentialBackOff()
                .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
                .logExhausted(false).logStackTrace(false));

        // A results batch that cannot be written is retried, then the chunks are read again.
        routeConfiguration("compute-retries").errorHandler(defaultErrorHandler()
                .maximumRedeliveries(3).redeliveryDelay(1000).backOffMultiplier(2)
                .retryAttemptedLogLevel(LoggingLevel.WARN));

        // A long-running role keeps waiting for its broker: its consumers start once the topics exist.
        // A results topic that would lose counts is refused: the role ends with the reason.
        routeConfiguration("topic-setup-broker-wait").errorHandler(defaultErrorHandler()
                .maximumRedeliveries(-1).redeliveryDelay(10_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN).logStackTrace(false).logRetryStackTrace(false))
                .onException(RetentionRefused.class).handled(true).maximumRedeliveries(0)
                    .log(LoggingLevel.ERROR, "Refusing to serve results: ${exception.message}")
                    .bean("appExit", "accept(3)")
                .end()
                // refused credentials do not get better by waiting: the role stops at start with the reason
                .onException(CredentialsRefusedException.class).handled(true).maximumRedeliveries(0)
                    .log(LoggingLevel.ERROR, "${exception.message}")
                    .bean("appExit", "accept(1)");

        // Results-topic messages this pipeline cannot count are set aside as they were, each with why
        // and where it was; the rest of their batch is counted and the replay goes on.
        routeConfiguration("results-dead-letter")
                .onException(ResultsApplier.DeadLetters.class).handled(true)
                    .setBody(simple("${exception.records()}"))
                    .setBody(method("camelKafkaRecords", "outgoing"))
                    .to("kafka:{{kafka.results-dlq-topic}}"
                            + "?valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer");

        // Admin calls answer every failure with its status and a clear message (AdminError says which).
        routeConfiguration("admin-errors")
                .onException(Exception.class).handled(true)
                    .setBody(method(AdminError.class, "of(${exception})"))
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, simple("${body.status}"))
                    .to("direct:admin-respond");
    }
}
