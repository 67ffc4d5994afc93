package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A reader run is over; what became of each of its sources. A source that failed before its month was
 * known (unknown month, HTTP 500 on the first byte, no such file) appears only here.
 *
 * @param sources    one outcome per source of the run, in order
 * @param startedAt  as in {@link RunStarted}
 * @param finishedAt epoch ms
 */
public record RunFinished(String runId, List<SourceOutcome> sources, long startedAt, long finishedAt)
        implements ResultsMessage {

    @Override
    public String key() {
        return RUNS_KEY;
    }

    public enum SourceStatus {
        @JsonProperty("ok") OK,
        @JsonProperty("failed") FAILED,
        @JsonProperty("missing") MISSING
    }

    /**
     * @param source    as listed in {@link RunStarted#sources()}
     * @param status    ok: read whole (its attempt then resolves by its chunk results); failed; missing
     *                  (no location had it)
     * @param month     the month, when it was known
     * @param attemptId the attempt, when one was started; required when ok
     * @param error     why it failed, for people (cut to {@link AttemptFinished#MAX_ERROR_CHARS})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceOutcome(String source, SourceStatus status, String month, String attemptId, String error) {
        public SourceOutcome {
            error = AttemptFinished.clipError(error);
        }
    }
}
