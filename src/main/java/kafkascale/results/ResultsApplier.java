package kafkascale.results;

import java.time.Duration;
import java.util.Locale;
import kafkascale.PipelineMetrics;
import kafkascale.results.PipelineMessages.ChunkResult;
import kafkascale.results.PipelineMessages.ResultsMessage;
import kafkascale.results.ResultsAggregate.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results role's work per results-topic message: parse it, apply it to the aggregate, count what
 * happened. A message this pipeline did not write (or wrote wrong) is a {@link MalformedMessageException}:
 * the route sets it aside on the results dead-letter topic and the replay goes on.
 */
public final class ResultsApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsApplier.class);

    private final ResultsAggregate aggregate;
    private final PipelineMetrics metrics;

    public ResultsApplier(ResultsAggregate aggregate, PipelineMetrics metrics) {
        this.aggregate = aggregate;
        this.metrics = metrics;
    }

    /** @param origin "topic/partition/offset" of the message, for the log */
    public void apply(String json, String origin) {
        metrics.resultMessagesRead(1);
        ResultsMessage message;
        Outcome outcome;
        try {
            message = PipelineMessages.parse(json == null ? "" : json);
            outcome = aggregate.apply(message);
        } catch (RuntimeException e) { // whatever it is, it is not a result this pipeline wrote
            metrics.malformedMessage("results");
            LOG.error("Malformed message on the results topic ({}): {}; not counted, sent to the dead-letter topic",
                    origin, e.getMessage());
            throw new MalformedMessageException(e.getMessage(), e);
        }
        if (message instanceof ChunkResult chunk) {
            metrics.chunksCounted(outcome.name().toLowerCase(Locale.ROOT), 1);
            if (outcome == Outcome.COUNTED) {
                metrics.endToEndLatency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - chunk.readAt())));
            }
        }
    }

    /** A results-topic message that cannot be counted; its message says why. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
