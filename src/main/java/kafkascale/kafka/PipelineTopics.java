package kafkascale.kafka;

import java.util.Map;
import java.util.Set;

/**
 * The pipeline's topics and consumer groups, as configured (one property each in
 * application.properties), and how the roles create them.
 */
public record PipelineTopics(String compute, int computePartitions, short computeReplication, String computeDeadLetter,
                             String computeGroup, String results, int resultsPartitions, short resultsReplication,
                             String resultsDeadLetter, String resultsGroup) {

    /** The consumer group of this app that reads each pipeline topic (for offsets and lag). */
    public Map<String, String> groupOfTopic() {
        return Map.of(compute, computeGroup, results, resultsGroup);
    }

    /** The topics the pipeline cannot run without: deleting one needs force. */
    public Set<String> essential() {
        return Set.of(compute, results);
    }
}
