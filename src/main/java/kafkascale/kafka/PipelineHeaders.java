package kafkascale.kafka;

/**
 * The Kafka record headers the roles exchange: what the reader puts on a chunk for compute, and what a
 * dead-letter record carries. The one contract between the roles besides the record bodies.
 */
public final class PipelineHeaders {

    /** Chunk headers (reader to compute): which read of which survey month, and where in it. */
    public static final String ATTEMPT = "ks-attempt";
    public static final String MONTH = "ks-month";
    public static final String SEQ = "ks-seq";
    public static final String LAYOUT = "ks-layout";
    public static final String CHUNK_LINES = "ks-chunk-lines";
    public static final String READ_AT = "ks-read-at";

    /** Dead-letter headers: why a record was set aside, and where it came from. */
    public static final String ERROR = "ks-error";
    public static final String ORIGIN = "ks-original-topic-partition-offset";

    private PipelineHeaders() {
    }
}
