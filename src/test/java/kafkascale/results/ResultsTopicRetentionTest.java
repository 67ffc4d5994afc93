package kafkascale.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultsTopicRetentionTest {

    private static String problem(Map<String, String> configs) {
        Optional<String> problem = ResultsTopicRetention.problem("results", configs);
        assertTrue(problem.isPresent(), "a problem with " + configs);
        assertTrue(problem.get().startsWith("results topic 'results' would lose counts: "), problem.get());
        assertTrue(problem.get().contains("retention.ms=-1,retention.bytes=-1,cleanup.policy=delete"), "says the fix");
        return problem.get();
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> configs = new HashMap<>(ResultsTopicRetention.CREATE_CONFIGS);
        configs.put(name, value);
        return configs;
    }

    @Test
    void theConfigsItIsCreatedWithKeepEverything() {
        assertEquals(Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete"),
                ResultsTopicRetention.CREATE_CONFIGS);
        assertEquals(Optional.empty(), ResultsTopicRetention.problem("results", ResultsTopicRetention.CREATE_CONFIGS));
        assertEquals(Optional.empty(), ResultsTopicRetention.problem("results",
                Map.of("retention.ms", " -1", "retention.bytes", "-1", "cleanup.policy", "Delete", "segment.ms", "1000")));
    }

    @Test
    void anythingThatExpiresOrCompactsLosesCounts() {
        // what the app created before: Kafka's default of seven days
        assertTrue(problem(with("retention.ms", "604800000")).contains("retention.ms=604800000 deletes messages older than that"));
        assertTrue(problem(with("retention.bytes", "1073741824")).contains("retention.bytes=1073741824"));
        assertTrue(problem(with("cleanup.policy", "compact")).contains("latest message per key"));
        assertTrue(problem(with("cleanup.policy", "compact,delete")).contains("compaction"));
        assertTrue(problem(with("retention.ms", "0")).contains("retention.ms=0"));
        String both = problem(Map.of("retention.ms", "86400000", "retention.bytes", "-1", "cleanup.policy", "compact"));
        assertTrue(both.contains("cleanup.policy=compact") && both.contains("retention.ms=86400000"), both);
    }

    @Test
    void aConfigTheBrokerDidNotReportIsAProblem() {
        Map<String, String> missing = new HashMap<>(ResultsTopicRetention.CREATE_CONFIGS);
        missing.remove("retention.ms");
        assertTrue(problem(missing).contains("retention.ms is not set"));
        assertTrue(problem(Map.of()).contains("cleanup.policy is not set"));
        assertTrue(problem(null).contains("retention.bytes is not set"));
    }
}
