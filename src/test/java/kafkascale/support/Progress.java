package kafkascale.support;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads /progress: the latest run's outcome per source, and per survey month its attempts and counts. */
public final class Progress {

    private Progress() {
    }

    /** The outcome of {@code source} in the latest run (status ok, failed or missing; error). */
    public static JsonNode outcome(JsonNode progress, String source) {
        JsonNode runs = progress.get("runs");
        JsonNode latest = runs.get(runs.size() - 1);
        for (JsonNode o : latest.path("outcomes")) {
            if (o.get("source").asText().equals(source)) {
                return o;
            }
        }
        throw new AssertionError("no outcome for " + source + " in " + latest);
    }

    /** A survey month's view ({@code 2019-01}): status, counted generation, attempts. */
    public static JsonNode month(JsonNode progress, String month) {
        JsonNode m = progress.path("months").get(month);
        if (m == null) {
            throw new AssertionError("no month " + month + " in " + progress.path("months"));
        }
        return m;
    }

    /** The latest attempt at a month. */
    public static JsonNode latestAttempt(JsonNode progress, String month) {
        JsonNode attempts = month(progress, month).get("attempts");
        return attempts.get(attempts.size() - 1);
    }
}
