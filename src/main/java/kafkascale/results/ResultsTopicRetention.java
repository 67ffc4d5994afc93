package kafkascale.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The results topic is the only copy of the counts: the results role rebuilds everything it serves by
 * replaying it from the start. So it must keep every message forever. Time or size retention would
 * expire old months (a restart then serves smaller totals without a word), and compaction would keep
 * only the latest message per key, i.e. one chunk result per month. This checks a topic's
 * configuration for that, without any Kafka client: the caller describes the topic and passes the
 * values.
 */
public final class ResultsTopicRetention {

    /** Topic configs to create the results topic with: keep everything, delete nothing, compact nothing. */
    public static final Map<String, String> CREATE_CONFIGS =
            Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete");

    private ResultsTopicRetention() {
    }

    /**
     * What is wrong with the retention of results topic {@code topic}, in one sentence, or empty when it
     * keeps every message forever. {@code configs} are the topic's effective configs (as described by
     * the broker, defaults included); a missing one counts as a problem, since the broker default
     * ({@code retention.ms} is 7 days) would apply.
     */
    public static Optional<String> problem(String topic, Map<String, String> configs) {
        List<String> problems = new ArrayList<>();
        String policy = value(configs, "cleanup.policy");
        if (policy == null) {
            problems.add("cleanup.policy is not set");
        } else if (!policy.toLowerCase(Locale.ROOT).replace(" ", "").equals("delete")) {
            problems.add("cleanup.policy=" + policy + (policy.toLowerCase(Locale.ROOT).contains("compact")
                    ? " keeps only the latest message per key, so compaction would drop chunk results" : " is not delete"));
        }
        checkUnlimited(configs, "retention.ms", "deletes messages older than that", problems);
        checkUnlimited(configs, "retention.bytes", "deletes the oldest messages past that size per partition", problems);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("results topic '" + topic + "' would lose counts: " + String.join("; ", problems)
                + " - it must keep every message (set retention.ms=-1, retention.bytes=-1, cleanup.policy=delete, e.g. "
                + "kafka-configs --alter --entity-type topics --entity-name " + topic
                + " --add-config retention.ms=-1,retention.bytes=-1,cleanup.policy=delete).");
    }

    private static void checkUnlimited(Map<String, String> configs, String name, String effect, List<String> problems) {
        String value = value(configs, name);
        if (value == null) {
            problems.add(name + " is not set (the broker default applies)");
        } else if (!value.equals("-1")) {
            problems.add(name + "=" + value + " " + effect);
        }
    }

    private static String value(Map<String, String> configs, String name) {
        String value = configs == null ? null : configs.get(name);
        return value == null ? null : value.trim();
    }
}
