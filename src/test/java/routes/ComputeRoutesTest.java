package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.ChunkResults;
import kafkascale.results.ResultsMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;

/** Compute's batch route: a good chunk becomes a result, a malformed one goes to the compute dead-letter topic in the same send. */
class ComputeRoutesTest extends RouteTestSupport {

    @Override
    String routes() {
        return "routes/ComputeRoutes";
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.replaceRouteFromWith("compute-chunk", "direct:compute-batch");
    }

    @Test
    void aBatchBecomesOneResultsMessagePerAttemptAndAMalformedChunkIsSetAsideWithItsReason() throws Exception {
        String record = " ".repeat(30) + " 1" + " ".repeat(20);
        Exchange first = chunk("2019-01", "0", (record + "\n" + record.replace(" 1 ", " 5 ")).getBytes(StandardCharsets.ISO_8859_1));
        Exchange bad = chunk("2019-01", null, record.getBytes(StandardCharsets.ISO_8859_1));
        Exchange second = chunk("2019-01", "1", record.getBytes(StandardCharsets.ISO_8859_1));
        Exchange february = chunk("2019-02", "0", record.getBytes(StandardCharsets.ISO_8859_1));
        MockEndpoint results = kafkaMock("results");
        results.expectedMessageCount(1);

        template.sendBody("direct:compute-batch", List.of(first, bad, second, february));
        results.assertIsSatisfied();

        @SuppressWarnings("unchecked")
        List<Message> sent = results.getExchanges().get(0).getMessage().getBody(List.class);
        assertEquals(3, sent.size(), "one send: the dead letter, then one results message per attempt");
        Message dead = sent.get(0);
        assertEquals("compute.dlq", dead.getHeader("kafka.OVERRIDE_TOPIC"));
        assertTrue(dead.getHeader(PipelineHeaders.ERROR, String.class).contains("chunk key chunk/2019-01/attempt-1 is not"),
                dead.getHeader(PipelineHeaders.ERROR, String.class));
        assertEquals("compute/3/42", dead.getHeader(PipelineHeaders.ORIGIN));

        ChunkResults january = (ChunkResults) ResultsMessage.parse(new String(sent.get(1).getBody(byte[].class), StandardCharsets.UTF_8));
        assertNull(sent.get(1).getHeader("kafka.OVERRIDE_TOPIC"));
        assertEquals("month/2019-01", sent.get(1).getHeader("kafka.KEY"), "every message of a month on one results partition");
        assertEquals(List.of(0L, 1L), january.chunks().stream().map(ChunkResults.Entry::seq).toList());
        assertEquals(Map.of(1, 1L, 5, 1L), january.chunks().get(0).counts());
        assertEquals(2, january.chunks().get(0).records());
        assertEquals("month/2019-02", sent.get(2).getHeader("kafka.KEY"));
        assertEquals(1, ((ChunkResults) ResultsMessage.parse(new String(sent.get(2).getBody(byte[].class),
                StandardCharsets.UTF_8))).chunks().size());
    }

    private Exchange chunk(String month, String seq, byte[] body) {
        Exchange exchange = new DefaultExchange(context);
        Message m = exchange.getMessage();
        m.setHeader("kafka.TOPIC", "compute");
        m.setHeader("kafka.PARTITION", 3);
        m.setHeader("kafka.OFFSET", 42L);
        // the key says which attempt at which month, and where in it (no position: malformed)
        m.setHeader("kafka.KEY", "chunk/" + month + "/attempt-1" + (seq == null ? "" : "/" + seq));
        m.setHeader(PipelineHeaders.LAYOUT, "fixed");
        m.setHeader(PipelineHeaders.CHUNK_LINES, "10");
        m.setHeader(PipelineHeaders.READ_AT, "1");
        m.setBody(body);
        return exchange;
    }
}
