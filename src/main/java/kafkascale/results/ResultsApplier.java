package kafkascale.results;

import java.time.Duration;
import kafkascale.PipelineMetrics;
import kafkascale.results.ResultsLedger.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results role's work per results-topic message: parse it, apply it to the ledger, count what
 * happened. A message this pipeline did not write (or wrote wrong) is a {@link PoisonMessage}: nothing
 * changed, the route sets it aside on the results dead-letter topic with its reason, the replay goes on.
 */
public final class ResultsApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsApplier.class);

    private final ResultsLedger ledger;
    private final PipelineMetrics metrics;

    public ResultsApplier(ResultsLedger ledger, PipelineMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /**
     * @param appendedAt the Kafka record's timestamp (the same on every replay)
     * @param origin     "topic/partition/offset" of the message, for the log
     */
    public void apply(String json, long appendedAt, String origin) {
        metrics.resultMessagesRead(1);
        ResultsMessage message;
        Outcome outcome;
        try {
            message = ResultsMessage.parse(json == null ? "" : json);
            outcome = ledger.apply(message, appendedAt);
        } catch (PoisonMessage e) {
            metrics.malformedMessage("results");
            LOG.error("Results-topic message {} not counted ({}): {}; sent to the dead-letter topic", origin,
                    e.reason().tag(), e.getMessage());
            throw e;
        }
        if (message instanceof ChunkResult chunk) {
            metrics.chunksCounted(outcome.chunkCounted() ? "counted" : "duplicate", 1);
            if (outcome.chunkCounted()) {
                metrics.endToEndLatency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - chunk.readAt())));
            }
        }
        if (outcome == Outcome.MONTH_COUNTED || outcome == Outcome.MONTH_UNCHANGED || outcome == Outcome.ATTEMPT_FAILED
                || outcome == Outcome.ATTEMPT_CONFLICT) {
            LOG.info("Results: {} ({})", outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), origin);
        }
    }
}
