package kafkascale.results;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kafkascale.PipelineMetrics;
import kafkascale.kafka.KafkaRecord;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.results.ResultsLedger.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results role's work per polled batch of results-topic messages: parse each, apply it to the
 * ledger in offset order, count what happened, note how far the replay has come. A message this
 * pipeline did not write (or wrote wrong) is a {@link PoisonMessage}: nothing changed, the rest of
 * the batch counts, and the batch ends in {@link DeadLetters} for the route's error handling to set
 * them aside. (One exchange per batch, not per message: per-message routing was most of this role's
 * work.)
 */
public final class ResultsApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsApplier.class);

    private final ResultsLedger ledger;
    private final ReplayProgress replay;
    private final PipelineMetrics metrics;

    public ResultsApplier(ResultsLedger ledger, ReplayProgress replay, PipelineMetrics metrics) {
        this.ledger = ledger;
        this.replay = replay;
        this.metrics = metrics;
    }

    /**
     * Applies a polled batch in order.
     *
     * @throws DeadLetters after the whole batch, when it held poison: each poison message's key and
     *                     value, with headers that say why ({@link PipelineHeaders#ERROR}) and where it
     *                     was ({@link PipelineHeaders#ORIGIN})
     */
    public void applyAll(List<KafkaRecord> records) {
        List<KafkaRecord> deadLetters = new ArrayList<>(0);
        for (KafkaRecord record : records) {
            try {
                apply(record);
            } catch (PoisonMessage e) {
                metrics.malformedMessage("results");
                // the message starts with the reason's tag: "unreadable: …", "bad-seq: …"
                LOG.error("Results-topic message {} not counted: {}; sent to the dead-letter topic", record.origin(),
                        e.getMessage());
                deadLetters.add(record.deadLetter(null, e.getMessage()));
            }
            // after the apply: readiness never says caught up before the last message counted
            replay.seen(record.partition(), record.offset());
        }
        if (!deadLetters.isEmpty()) {
            throw new DeadLetters(deadLetters);
        }
    }

    /** The poison messages of a batch whose other messages were applied, for the results dead-letter topic. */
    public static final class DeadLetters extends RuntimeException {
        private final transient List<KafkaRecord> records;

        DeadLetters(List<KafkaRecord> records) {
            super(records.size() + " results-topic message(s) not counted", null, false, false); // no stack: not a bug
            this.records = List.copyOf(records);
        }

        public List<KafkaRecord> records() {
            return records;
        }
    }

    /**
     * One message; its Kafka timestamp is the same on every replay, so the ledger's times are too. A
     * batch of chunk results is applied chunk by chunk (metrics per chunk); a poison entry makes the
     * whole message poison once every other entry is applied.
     */
    private void apply(KafkaRecord record) {
        ResultsMessage message;
        try {
            message = ResultsMessage.parse(record.value());
        } catch (PoisonMessage e) {
            metrics.resultMessagesRead(1);
            throw e;
        }
        String origin = record.origin();
        if (message instanceof ChunkResults batch) {
            // a chunk result is a result message, as in the Go original
            metrics.resultMessagesRead(batch.chunks() == null || batch.chunks().isEmpty() ? 1 : batch.chunks().size());
            ledger.applyEach(batch, record.timestamp(), (chunk, outcome) -> applied(chunk, outcome, origin));
        } else {
            metrics.resultMessagesRead(1);
            applied(message, ledger.apply(message, record.timestamp()), origin);
        }
    }

    /** What a message did, in the metrics and (for a month's outcome) the log. */
    private void applied(ResultsMessage message, Outcome outcome, String origin) {
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
