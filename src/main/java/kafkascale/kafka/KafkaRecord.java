package kafkascale.kafka;

import java.util.Map;

/**
 * One Kafka record as the domain code sees it, without Camel or Kafka client types: what compute
 * reads from a polled batch, and what the reader and compute hand over to be sent.
 *
 * @param topic     where it goes (null: the endpoint's topic) or where it came from
 * @param partition where it came from (-1 when outgoing)
 * @param offset    where it came from (-1 when outgoing)
 * @param timestamp the record's Kafka timestamp when consumed (-1 when outgoing)
 * @param key       the record key, or null
 * @param headers   the string headers the pipeline uses (see {@link PipelineHeaders})
 * @param value     the record body
 */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, String key, Map<String, String> headers, byte[] value) {

    /** An outgoing record for the endpoint's own topic. */
    public static KafkaRecord outgoing(String key, Map<String, String> headers, byte[] value) {
        return new KafkaRecord(null, -1, -1, -1, key, headers, value);
    }

    /** An outgoing record for another topic than the endpoint's (a dead-letter topic). */
    public static KafkaRecord outgoingTo(String topic, String key, Map<String, String> headers, byte[] value) {
        return new KafkaRecord(topic, -1, -1, -1, key, headers, value);
    }

    /**
     * This consumed record set aside: its key and value as they were, with why
     * ({@link PipelineHeaders#ERROR}) and where it was ({@link PipelineHeaders#ORIGIN}).
     *
     * @param topic the dead-letter topic, or null for the endpoint's own
     */
    public KafkaRecord deadLetter(String topic, String error) {
        return outgoingTo(topic, key, Map.of(PipelineHeaders.ERROR, error, PipelineHeaders.ORIGIN, origin()),
                value == null ? new byte[0] : value);
    }

    /** "topic/partition/offset" of a consumed record, for logs and dead-letter headers. */
    public String origin() {
        return topic + "/" + partition + "/" + offset;
    }

    public String header(String name) {
        return headers.get(name);
    }
}
