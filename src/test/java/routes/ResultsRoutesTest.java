package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.AttemptFinished;
import kafkascale.results.AttemptStarted;
import kafkascale.results.ChunkResult;
import kafkascale.results.ResultsLedger;
import kafkascale.results.ResultsMessage;
import kafkascale.results.RunStarted;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;

/** The results route: a message it cannot count goes to the results dead-letter topic with its reason; the replay goes on. */
class ResultsRoutesTest extends RouteTestSupport {

    @Override
    String routes() {
        return "routes/ResultsRoutes";
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.replaceRouteFromWith("results-count", "direct:results-in");
        configuration.replaceRouteFromWith("results-replay-target", "direct:replay-target");
    }

    @Test
    void aPoisonMessageIsSetAsideAndTheReplayGoesOn() throws Exception {
        MockEndpoint deadLetters = kafkaMock("results.dlq");
        deadLetters.expectedMessageCount(2);

        send("{not json", 0);
        send(ResultsMessage.toJson(new RunStarted("run-1", List.of("jan19pub"), 1000)), 1);
        send(ResultsMessage.toJson(new AttemptStarted("a-1", "run-1", "2019-01", "jan19pub", 10, 1001)), 2);
        send(ResultsMessage.toJson(new ChunkResult("a-1", "2019-01", 2_147_483_000L, 10, 3, Map.of(1, 3L), Map.of(), 1002)), 3);
        send(ResultsMessage.toJson(new ChunkResult("a-1", "2019-01", 0, 10, 3, Map.of(1, 3L), Map.of(), 1002)), 4);
        send(ResultsMessage.toJson(new AttemptFinished("a-1", "run-1", "2019-01", AttemptFinished.Status.OK, 1, 3,
                "0".repeat(64), 100, "jan19pub", null, 1003)), 5);

        deadLetters.assertIsSatisfied();
        Message unreadable = deadLetters.getExchanges().get(0).getMessage();
        assertEquals("results/0/0", unreadable.getHeader(PipelineHeaders.ORIGIN));
        assertTrue(unreadable.getHeader(PipelineHeaders.ERROR, String.class).startsWith("unreadable:"));
        assertEquals("k", unreadable.getHeader("kafka.KEY"));
        Message hugeSeq = deadLetters.getExchanges().get(1).getMessage();
        assertTrue(hugeSeq.getHeader(PipelineHeaders.ERROR, String.class).startsWith("bad-seq:"),
                hugeSeq.getHeader(PipelineHeaders.ERROR, String.class));
        ResultsLedger ledger = context.getRegistry().lookupByNameAndType("resultsLedger", ResultsLedger.class);
        assertEquals(3, ledger.results("2019").get("1").count(), "the good attempt is counted, the poison is not");
    }

    private void send(String body, long offset) {
        template.sendBodyAndHeaders("direct:results-in", body, Map.of("kafka.TOPIC", "results", "kafka.PARTITION", 0,
                "kafka.OFFSET", offset, "kafka.TIMESTAMP", 1000L + offset, "kafka.KEY", "k"));
    }
}
