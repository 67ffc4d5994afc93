package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A reader is done with an attempt. OK means every record of the month was read and sent: once all
 * {@code chunks} chunk results are in and add up to {@code records}, the attempt's counts become the
 * month's counts in one step (or change nothing when {@code digest} equals the counted digest). FAILED
 * never changes what is counted.
 *
 * @param chunks     chunks sent to compute
 * @param records    records sent (all chunks together)
 * @param digest     {@link kafkascale.census.RecordDigest} of the records sent; required when OK
 * @param bytes      bytes read from the source (packed), for people
 * @param location   the URL or path actually read, for people
 * @param error      why it failed, for people (cut to {@link #MAX_ERROR_CHARS})
 * @param finishedAt epoch ms
 */
public record AttemptFinished(String attemptId, String runId, String month, Status status, long chunks,
                              long records, String digest, long bytes, String location, String error,
                              long finishedAt) implements ResultsMessage {

    /** Longest error text kept: it is free text for people, so a longer one is cut, not refused. */
    public static final int MAX_ERROR_CHARS = 300;

    public enum Status {
        @JsonProperty("ok") OK,
        @JsonProperty("failed") FAILED
    }

    public AttemptFinished {
        error = clipError(error);
    }

    @Override
    public String key() {
        return ResultsMessage.monthKey(month);
    }

    static String clipError(String error) {
        return error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }
}
