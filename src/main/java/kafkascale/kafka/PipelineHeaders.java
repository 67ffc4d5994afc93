package kafkascale.kafka;

/**
 * The Kafka record headers the roles exchange: what the reader puts on a chunk for compute, and what a
 * dead-letter record carries. The one contract between the roles besides the record bodies.
 */
public final class PipelineHeaders {

    /**
     * Chunk headers (reader to compute): how to read the records, and when they were sent. Which read
     * of which month, and where in it, is the record key ({@link ChunkKey}).
     */
    public static final String LAYOUT = "ks-layout";
    public static final String CHUNK_LINES = "ks-chunk-lines";
    public static final String READ_AT = "ks-read-at";

    /** Dead-letter headers: why a record was set aside, and where it came from. */
    public static final String ERROR = "ks-error";
    public static final String ORIGIN = "ks-original-topic-partition-offset";

    private PipelineHeaders() {
    }
}
