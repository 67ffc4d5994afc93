package routes;

import java.time.Duration;
import kafkascale.PipelineMetrics;
import kafkascale.results.PipelineMessages;
import kafkascale.results.PipelineMessages.ChunkResult;
import kafkascale.results.PipelineMessages.ResultsMessage;
import kafkascale.results.ResultsAggregate;
import kafkascale.results.ResultsAggregate.Outcome;
import org.apache.camel.Exchange;
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

    public void apply(Exchange exchange) {
        metrics.resultMessagesRead(1);
        String json = exchange.getMessage().getBody(String.class);
        ResultsMessage message;
        Outcome outcome;
        try {
            message = PipelineMessages.parse(json == null ? "" : json);
            outcome = aggregate.apply(message);
        } catch (IllegalArgumentException e) {
            metrics.malformedMessage("results");
            LOG.error("Malformed message on the results topic (partition {}, offset {}): {}; not counted",
                    exchange.getMessage().getHeader(KafkaConstants.PARTITION),
                    exchange.getMessage().getHeader(KafkaConstants.OFFSET), e.getMessage());
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
