package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.AttemptFinished;
import kafkascale.results.AttemptStarted;
import kafkascale.results.ChunkResult;
import kafkascale.results.ReplayProgress;
import kafkascale.results.ResultsLedger;
import kafkascale.results.ResultsMessage;
import kafkascale.results.RunStarted;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;

/** The results route: a message it cannot count goes to the results dead-letter topic with its reason; the rest of its batch counts and the replay goes on. */
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
    void aPoisonMessageIsSetAsideAndTheRestOfItsBatchCounts() throws Exception {
        MockEndpoint deadLetters = kafkaMock("results.dlq");
        deadLetters.expectedMessageCount(2); // one send per batch that held poison
        ReplayProgress replay = context.getRegistry().lookupByNameAndType("replayProgress", ReplayProgress.class);
        replay.target(Map.of(0, 6L));

        template.sendBody("direct:results-in", List.of(
                message("{not json", 0),
                message(ResultsMessage.toJson(new RunStarted("run-1", List.of("jan19pub"), 1000)), 1),
                message(ResultsMessage.toJson(new AttemptStarted("a-1", "run-1", "2019-01", "jan19pub", 10, 1001)), 2)));
        assertFalse(replay.caughtUp(), "three of six read");
        template.sendBody("direct:results-in", List.of(
                message(ResultsMessage.toJson(new ChunkResult("a-1", "2019-01", 2_147_483_000L, 10, 3, Map.of(1, 3L), Map.of(), 1002)), 3),
                message(ResultsMessage.toJson(new ChunkResult("a-1", "2019-01", 0, 10, 3, Map.of(1, 3L), Map.of(), 1002)), 4),
                message(ResultsMessage.toJson(new AttemptFinished("a-1", "run-1", "2019-01", AttemptFinished.Status.OK, 1, 3,
                        "0".repeat(64), 100, "jan19pub", null, 1003)), 5)));

        deadLetters.assertIsSatisfied();
        Message unreadable = onlyMessage(deadLetters.getExchanges().get(0));
        assertEquals("results/0/0", unreadable.getHeader(PipelineHeaders.ORIGIN));
        assertTrue(unreadable.getHeader(PipelineHeaders.ERROR, String.class).startsWith("unreadable:"));
        assertEquals("k", unreadable.getHeader("kafka.KEY"));
        assertEquals("{not json", new String(unreadable.getBody(byte[].class), StandardCharsets.UTF_8), "the message as it was");
        Message hugeSeq = onlyMessage(deadLetters.getExchanges().get(1));
        assertEquals("results/0/3", hugeSeq.getHeader(PipelineHeaders.ORIGIN));
        assertTrue(hugeSeq.getHeader(PipelineHeaders.ERROR, String.class).startsWith("bad-seq:"),
                hugeSeq.getHeader(PipelineHeaders.ERROR, String.class));
        ResultsLedger ledger = context.getRegistry().lookupByNameAndType("resultsLedger", ResultsLedger.class);
        assertEquals(3, ledger.results("2019").get("1").count(), "the good attempt is counted, the poison is not");
        assertTrue(replay.caughtUp(), "every message read, poison too");
    }

    private static Message onlyMessage(Exchange sent) {
        @SuppressWarnings("unchecked")
        List<Message> messages = sent.getMessage().getBody(List.class);
        assertEquals(1, messages.size(), "only the poison message of its batch");
        return messages.get(0);
    }

    /** A polled results-topic record, as camel-kafka's batching consumer hands it over. */
    private Exchange message(String body, long offset) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(Map.of("kafka.TOPIC", "results", "kafka.PARTITION", 0,
                "kafka.OFFSET", offset, "kafka.TIMESTAMP", 1000L + offset, "kafka.KEY", "k")));
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
