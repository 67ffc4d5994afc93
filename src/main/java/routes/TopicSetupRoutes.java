package routes;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * Creates the role's topics once at start, waiting (with back-off, logged) for the broker; then starts
 * the routes that read them (see {@link kafkascale.app.TopicDependentRoutes}), so a consumer group never
 * forms on a topic that does not exist yet.
 */
public class TopicSetupRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        from(timer("topic-setup").repeatCount(1).delay(0))
                .routeId("topic-setup-ensure").routeConfigurationId("topic-setup-broker-wait")
                .bean("topicSetup", "ensure")
                .bean("topicDependentRoutes", "start");
    }
}
