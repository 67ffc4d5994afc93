package kafkascale.kafka;

/**
 * Creates what a role needs and is missing, waiting for the broker (bounded by
 * KAFKA_BROKER_WAIT_SECONDS): every role the results topic and its dead-letter topic; reading and
 * computing roles the compute topic and its dead-letter topic too.
 */
public final class TopicSetup {

    private final KafkaTopics kafka;
    private final PipelineTopics topics;
    private final boolean withCompute;

    public TopicSetup(KafkaTopics kafka, PipelineTopics topics, boolean withCompute) {
        this.kafka = kafka;
        this.topics = topics;
        this.withCompute = withCompute;
    }

    public void ensure() {
        kafka.ensure(topics.results(), topics.resultsPartitions(), topics.resultsReplication());
        kafka.ensure(topics.resultsDeadLetter(), 1, topics.resultsReplication());
        if (withCompute) {
            kafka.ensure(topics.compute(), topics.computePartitions(), topics.computeReplication());
            kafka.ensure(topics.computeDeadLetter(), 1, topics.computeReplication());
        }
    }
}
