package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * The JSON messages on the results topic. Compute writes one {@link ChunkResult} per chunk; the
 * reader writes a {@link SourceSummary} when it is done with a source and a {@link RunSummary} when it
 * is done with all of them, so the results role can tell when a run is complete.
 *
 * @deprecated identity by file name; replaced by {@link ResultsMessage} (survey month, attempts, runs).
 *             Delete once the reader, compute and results routes write and read the new messages.
 */
@Deprecated
public final class PipelineMessages {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private PipelineMessages() {
    }

    /** Every message on the results topic; the {@code type} field tells which. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = ChunkResult.class, name = "chunk"),
        @JsonSubTypes.Type(value = SourceSummary.class, name = "source"),
        @JsonSubTypes.Type(value = RunSummary.class, name = "run")
    })
    @JsonIgnoreProperties(ignoreUnknown = true)
    public sealed interface ResultsMessage permits ChunkResult, SourceSummary, RunSummary {
        /** The Kafka record key: stable, so the same fact written twice has the same key. */
        String key();
    }

    /**
     * Counts of one chunk.
     *
     * @param counts   records per HEHOUSUT code (codes with no record left out)
     * @param rejected records not counted, per reason tag
     * @param readAt   when the reader produced the chunk (epoch ms), for end-to-end latency
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChunkResult(String source, long seq, int chunkLines, int year, long records,
                              Map<Integer, Long> counts, Map<String, Long> rejected, long readAt)
            implements ResultsMessage {
        @Override
        public String key() {
            return chunkKey(source, chunkLines, seq);
        }
    }

    /** Source states a reader reports. */
    public enum SourceStatus { OK, FAILED, MISSING }

    /**
     * What the reader produced from one source.
     *
     * @param status  OK when the whole source was read; FAILED when it broke off (its counts are then
     *                left out of /results); MISSING when no location had it (HTTP 404 or no such file)
     * @param error   why it failed, for people
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceSummary(String source, int year, int chunkLines, SourceStatus status, long chunks,
                                long records, long bytes, String location, String error, long finishedAt)
            implements ResultsMessage {
        @Override
        public String key() {
            return "source/" + source;
        }
    }

    /** One finished reader run: the sources it covered. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunSummary(String runId, List<String> sources, long startedAt, long finishedAt)
            implements ResultsMessage {
        @Override
        public String key() {
            return "run/" + runId;
        }
    }

    /** The key of a chunk: the same source, chunk size and position always give the same key. */
    public static String chunkKey(String source, int chunkLines, long seq) {
        return "chunk/" + source + "/" + chunkLines + "/" + seq;
    }

    public static String toJson(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Parses a results-topic message; throws IllegalArgumentException naming what is wrong. */
    public static ResultsMessage parse(String json) {
        try {
            return JSON.readValue(json, ResultsMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a kafka-scale results message: " + e.getOriginalMessage(), e);
        }
    }
}
