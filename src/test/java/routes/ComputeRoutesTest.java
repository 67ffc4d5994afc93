package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kafkascale.kafka.PipelineHeaders;
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
    void aMalformedChunkIsSetAsideWithItsReason() throws Exception {
        String record = " ".repeat(30) + " 1" + " ".repeat(20);
        Exchange good = chunk("2019-01", "0", (record + "\n" + record.replace(" 1 ", " 5 ")).getBytes(StandardCharsets.ISO_8859_1));
        Exchange bad = chunk("2019-01", null, record.getBytes(StandardCharsets.ISO_8859_1));
        MockEndpoint results = kafkaMock("results");
        results.expectedMessageCount(1);

        template.sendBody("direct:compute-batch", List.of(good, bad));
        results.assertIsSatisfied();

        @SuppressWarnings("unchecked")
        List<Message> sent = results.getExchanges().get(0).getMessage().getBody(List.class);
        assertEquals(2, sent.size());
        String result = new String(sent.get(0).getBody(byte[].class), StandardCharsets.UTF_8);
        assertTrue(result.contains("\"counts\":{\"1\":1,\"5\":1}") && result.contains("\"records\":2"), result);
        assertNull(sent.get(0).getHeader("kafka.OVERRIDE_TOPIC"));
        assertEquals("month/2019-01", sent.get(0).getHeader("kafka.KEY"), "every message of a month on one results partition");
        Message dead = sent.get(1);
        assertEquals("compute.dlq", dead.getHeader("kafka.OVERRIDE_TOPIC"));
        assertTrue(dead.getHeader(PipelineHeaders.ERROR, String.class).contains("chunk key chunk/2019-01/attempt-1 is not"),
                dead.getHeader(PipelineHeaders.ERROR, String.class));
        assertEquals("compute/3/42", dead.getHeader(PipelineHeaders.ORIGIN));
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
