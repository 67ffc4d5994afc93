package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.ResultsAggregate;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;

/** The results route: a message it cannot count goes to the results dead-letter topic; the next one is counted. */
class ResultsRoutesTest extends RouteTestSupport {

    @Override
    String routes() {
        return "routes/ResultsRoutes";
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.replaceRouteFromWith("results-count", "direct:results-in");
    }

    @Test
    void aPoisonMessageIsSetAsideAndTheReplayGoesOn() throws Exception {
        MockEndpoint deadLetters = kafkaMock("results.dlq");
        deadLetters.expectedMessageCount(1);

        template.sendBodyAndHeaders("direct:results-in", "{not json",
                Map.of("kafka.TOPIC", "results", "kafka.PARTITION", 0, "kafka.OFFSET", 7L, "kafka.KEY", "k"));
        template.sendBodyAndHeaders("direct:results-in", "{\"type\":\"chunk\",\"source\":\"jan19pub\",\"seq\":0,"
                + "\"chunkLines\":10,\"year\":2019,\"records\":3,\"counts\":{\"1\":3},\"rejected\":{},\"readAt\":1}",
                Map.of("kafka.TOPIC", "results", "kafka.PARTITION", 0, "kafka.OFFSET", 8L));

        deadLetters.assertIsSatisfied();
        Message dead = deadLetters.getExchanges().get(0).getMessage();
        assertEquals("results/0/7", dead.getHeader(PipelineHeaders.ORIGIN));
        assertTrue(dead.getHeader(PipelineHeaders.ERROR, String.class).contains("not a kafka-scale results message"));
        assertEquals("k", dead.getHeader("kafka.KEY"));
        ResultsAggregate aggregate = context.getRegistry().lookupByNameAndType("resultsAggregate", ResultsAggregate.class);
        assertEquals(3, aggregate.results("2019").get("1").count());
    }
}
