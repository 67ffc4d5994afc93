package routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import kafkascale.kafka.KafkaAdmin.BrokerUnavailableException;
import kafkascale.kafka.KafkaAdmin.NotFoundException;
import kafkascale.kafka.KafkaAdmin.RejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * Topics, offsets and lag, brokers over HTTP on the business port; topic changes need the admin
 * bearer token. Answers JSON, or with {@code Accept: text/plain} the tables the Go original printed.
 */
public final class AdminRoutes extends EndpointRouteBuilder {

    private final AdminSupport admin;

    public AdminRoutes(AdminSupport admin) {
        this.admin = admin;
    }

    @Override
    public void configure() {
        onException(NotFoundException.class).handled(true).process(e -> admin.fail(e, 404));
        onException(IllegalArgumentException.class, RejectedException.class, JsonProcessingException.class)
                .handled(true).process(e -> admin.fail(e, 400));
        onException(BrokerUnavailableException.class).handled(true).process(e -> admin.fail(e, 503));

        from(platformHttp("/admin/topics"))
                .routeId("admin-topics")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET")).process(admin::listTopics)
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("POST")).process(admin::createTopic)
                    .otherwise().process(admin::methodNotAllowed)
                .end();

        from(platformHttp("/admin/topics/{topic}"))
                .routeId("admin-topic")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET")).process(admin::describeTopic)
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("DELETE")).process(admin::deleteTopic)
                    .otherwise().process(admin::methodNotAllowed)
                .end();

        from(platformHttp("/admin/topics/{topic}/partitions"))
                .routeId("admin-partitions")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("POST")).process(admin::addPartitions)
                    .otherwise().process(admin::methodNotAllowed)
                .end();

        from(platformHttp("/admin/offsets"))
                .routeId("admin-offsets")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET")).process(admin::offsets)
                    .otherwise().process(admin::methodNotAllowed)
                .end();

        from(platformHttp("/admin/brokers"))
                .routeId("admin-brokers")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET")).process(admin::brokers)
                    .otherwise().process(admin::methodNotAllowed)
                .end();
    }
}
