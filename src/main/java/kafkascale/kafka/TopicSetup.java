package kafkascale.kafka;

import kafkascale.results.ResultsTopicRetention;

/**
 * Creates what a role uses and is missing, waiting for the broker (bounded by
 * KAFKA_BROKER_WAIT_SECONDS): every role the results topic (kept forever: retention.ms=-1); reading and
 * computing roles the compute topic; each role the dead-letter topic it writes. Only those, because
 * they are all a least-privilege Kafka identity lets the role see. A role that serves results refuses a
 * results topic whose retention would lose counts.
 */
public final class TopicSetup {

    /** The results topic would lose counts: the role must not serve from it. */
    public static final class RetentionRefused extends RuntimeException {
        public RetentionRefused(String message) {
            super(message);
        }
    }

    private final KafkaTopics kafka;
    private final PipelineTopics topics;
    private final boolean reads;
    private final boolean computes;
    private final boolean servesResults;

    public TopicSetup(KafkaTopics kafka, PipelineTopics topics, boolean reads, boolean computes, boolean servesResults) {
        this.kafka = kafka;
        this.topics = topics;
        this.reads = reads;
        this.computes = computes;
        this.servesResults = servesResults;
    }

    public void ensure() throws Exception {
        kafka.ensure(topics.results(), topics.resultsPartitions(), topics.resultsReplication(),
                ResultsTopicRetention.CREATE_CONFIGS);
        if (reads || computes) {
            kafka.ensure(topics.compute(), topics.computePartitions(), topics.computeReplication());
        }
        if (computes) {
            kafka.ensure(topics.computeDeadLetter(), 1, topics.computeReplication());
        }
        if (servesResults) {
            kafka.ensure(topics.resultsDeadLetter(), 1, topics.resultsReplication());
            var problem = ResultsTopicRetention.problem(topics.results(), kafka.configs(topics.results()));
            if (problem.isPresent()) {
                throw new RetentionRefused(problem.get());
            }
        }
    }
}
