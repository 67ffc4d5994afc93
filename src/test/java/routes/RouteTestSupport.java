package routes;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafkascale.app.KafkaScaleConfiguration;
import kafkascale.app.TopicDependentRoutes;
import kafkascale.support.RunningApp;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * Route-level tests, as camel-examples main-health's MainHealthTest: the app's configuration class and
 * the route classes under test, in a Camel Main, with the Kafka endpoints mocked (no broker needed)
 * and the Kafka consumers replaced by direct endpoints the test sends to.
 */
abstract class RouteTestSupport extends CamelMainTestSupport {

    static final int HTTP_PORT = freePort();
    final List<Integer> exits = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The route classes under test besides the shared error handling, e.g. {@code routes/ReadRoutes}. */
    abstract String routes();

    /** Settings for this test (application.properties keys); must not depend on instance fields. */
    Map<String, String> settings() {
        return Map.of();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(KafkaScaleConfiguration.class);
        configuration.withJavaRoutesIncludePattern("routes/ErrorHandlingRoutes," + routes());
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("resolved.brokers", "127.0.0.1:9"); // never reached: the Kafka endpoints are mocks
        properties.put("resolved.results-group", "kafka-scale-results-route-test");
        properties.put("resolved.compute-consumers", "1");
        properties.put("resolved.http-port", Integer.toString(HTTP_PORT));
        properties.put("resolved.management-port", "0");
        properties.put("camel.management.enabled", "false");
        // the Kafka endpoints are mocks: no real producer is ever needed
        properties.put("camel.component.kafka.lazy-start-producer", "true");
        properties.putAll(settings());
        return properties;
    }

    /** Whether the test starts the routes that wait for the topic-setup route (the mocks stand in for the topics). */
    boolean startTopicDependentRoutes() {
        return true;
    }

    @Override
    protected void doPostSetup() throws Exception {
        if (startTopicDependentRoutes()) {
            context.getRouteController().startRouteGroup(TopicDependentRoutes.GROUP);
        }
    }

    @Override
    public String isMockEndpointsAndSkip() {
        return "kafka:*";
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("appExit", (java.util.function.IntConsumer) exits::add);
    }

    /** The mock standing in for the Kafka endpoint of {@code topic}. */
    MockEndpoint kafkaMock(String topic) {
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof MockEndpoint mock
                    && mock.getEndpointUri().matches("mock://kafka:" + java.util.regex.Pattern.quote(topic) + "(\\?.*)?")) {
                return mock;
            }
        }
        throw new AssertionError("no mock for kafka:" + topic + " among " + context.getEndpoints());
    }

    static int freePort() {
        try {
            return RunningApp.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
