package routes;

import java.time.Duration;
import kafkascale.PipelineMetrics;
import kafkascale.results.PipelineMessages;
import kafkascale.results.PipelineMessages.ChunkResult;
import kafkascale.results.PipelineMessages.ResultsMessage;
import kafkascale.results.ResultsAggregate;
import kafkascale.results.ResultsAggregate.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The results role's steps: apply each results-topic message to the aggregate. */
public final class ResultsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsSupport.class);

    private final ResultsAggregate aggregate;
    private final PipelineMetrics metrics;

    public ResultsSupport(ResultsAggregate aggregate, PipelineMetrics metrics) {
        this.aggregate = aggregate;
        this.metrics = metrics;
    }

    /** Set on an exchange whose message could not be read: the route sends it to the dead-letter topic. */
    public static final String MALFORMED = "kafkaScaleMalformed";

    public void apply(Exchange exchange) {
        metrics.resultMessagesRead(1);
        String json = exchange.getMessage().getBody(String.class);
        ResultsMessage message;
        Outcome outcome;
        try {
            message = PipelineMessages.parse(json == null ? "" : json);
            outcome = aggregate.apply(message);
        } catch (RuntimeException e) { // whatever it is, it is not a result this pipeline wrote
            metrics.malformedMessage("results");
            LOG.error("Malformed message on the results topic (partition {}, offset {}): {}; not counted, sent to the dead-letter topic",
                    exchange.getMessage().getHeader(KafkaConstants.PARTITION),
                    exchange.getMessage().getHeader(KafkaConstants.OFFSET), e.getMessage());
            exchange.setProperty(MALFORMED, true);
            Message m = exchange.getMessage();
            String origin = m.getHeader(KafkaConstants.TOPIC) + "/" + m.getHeader(KafkaConstants.PARTITION) + "/"
                    + m.getHeader(KafkaConstants.OFFSET);
            Object key = m.getHeader(KafkaConstants.KEY);
            m.removeHeaders("*");
            if (key != null) {
                m.setHeader(KafkaConstants.KEY, key.toString());
            }
            m.setHeader(ComputeSupport.H_ERROR, e.getMessage());
            m.setHeader(ComputeSupport.H_ORIGIN, origin);
            return;
        }
        if (message instanceof ChunkResult chunk) {
            metrics.chunksCounted(outcome.name().toLowerCase(java.util.Locale.ROOT), 1);
            if (outcome == Outcome.COUNTED) {
                metrics.endToEndLatency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - chunk.readAt())));
            }
        }
    }
}
