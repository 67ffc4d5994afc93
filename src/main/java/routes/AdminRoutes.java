package routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import kafkascale.kafka.KafkaAdmin.BrokerUnavailableException;
import kafkascale.kafka.KafkaAdmin.NotAuthorizedException;
import kafkascale.kafka.KafkaAdmin.NotFoundException;
import kafkascale.kafka.KafkaAdmin.RejectedException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.ChoiceDefinition;
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
        // Kafka's ACLs refused this app's identity (e.g. a compute pod's user deleting a topic)
        onException(NotAuthorizedException.class).handled(true).process(e -> admin.fail(e, 403));

        route("/admin/topics", "admin-topics", Map.of("GET", admin::listTopics, "POST", admin::createTopic));
        route("/admin/topics/{topic}", "admin-topic", Map.of("GET", admin::describeTopic, "DELETE", admin::deleteTopic));
        route("/admin/topics/{topic}/partitions", "admin-partitions", Map.of("POST", admin::addPartitions));
        route("/admin/offsets", "admin-offsets", Map.of("GET", admin::offsets));
        route("/admin/brokers", "admin-brokers", Map.of("GET", admin::brokers));
    }

    /** One path, a step per HTTP method; any other method is 405. */
    private void route(String path, String routeId, Map<String, Processor> byMethod) {
        ChoiceDefinition choice = from(platformHttp(path)).routeId(routeId).choice();
        byMethod.forEach((method, step) -> choice.when(header(Exchange.HTTP_METHOD).isEqualTo(method)).process(step));
        choice.otherwise().process(admin::methodNotAllowed).end();
    }
}
