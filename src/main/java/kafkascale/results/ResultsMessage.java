package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import kafkascale.results.PoisonMessage.Reason;

/**
 * A message on the results topic; the {@code type} field tells which. The flow of one reader run:
 *
 * <pre>
 * reader  : RunStarted                      key "runs"
 * reader  :   AttemptStarted  (per month)   key "month/2019-01"  (acknowledged before the month's first chunk goes to compute)
 * compute :   ChunkResults    (per batch)   key "month/2019-01"  (a ChunkResult per chunk in older versions)
 * reader  :   AttemptFinished (per month)   key "month/2019-01"
 * reader  : RunFinished                     key "runs"
 * </pre>
 *
 * Every message about one month has the same key, so it lands on one partition in order however
 * many partitions the topic has; run messages share the key {@code runs} for the same reason. The
 * results role replays the topic from the start into a {@link ResultsLedger}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunStarted.class, name = "run-started"),
    @JsonSubTypes.Type(value = AttemptStarted.class, name = "attempt-started"),
    @JsonSubTypes.Type(value = ChunkResult.class, name = "chunk-result"),
    @JsonSubTypes.Type(value = ChunkResults.class, name = "chunk-results"),
    @JsonSubTypes.Type(value = AttemptFinished.class, name = "attempt-finished"),
    @JsonSubTypes.Type(value = RunFinished.class, name = "run-finished")
})
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ResultsMessage permits RunStarted, AttemptStarted, ChunkResult, ChunkResults, AttemptFinished, RunFinished {

    /** The key of every run message. */
    String RUNS_KEY = "runs";

    /** The Kafka record key this message must be written with (see the class comment). */
    String key();

    /** The key of every message about one month, e.g. {@code month/2019-01}. */
    static String monthKey(String month) {
        return "month/" + month;
    }

    /** The message as JSON, for the Kafka record value. */
    static String toJson(ResultsMessage message) {
        try {
            return ResultsJson.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads a results-topic message. Anything that is not one (not JSON, an unknown type, a field of
     * the wrong kind, a fraction where a count belongs) is a {@link PoisonMessage} with reason
     * {@code unreadable}. Bounds are checked by the {@link ResultsLedger}, not here.
     */
    static ResultsMessage parse(String json) {
        return parse(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@link #parse(String)} of the UTF-8 bytes of a Kafka record value, without a String in between. */
    static ResultsMessage parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new PoisonMessage(Reason.UNREADABLE, "empty message");
        }
        ResultsMessage message;
        try {
            message = ResultsJson.MAPPER.readValue(json, ResultsMessage.class);
        } catch (JsonProcessingException e) {
            throw new PoisonMessage(Reason.UNREADABLE, "not a kafka-scale results message: "
                    + PoisonMessage.clip(e.getOriginalMessage()));
        } catch (java.io.IOException e) { // readValue(byte[]) declares it; bytes in memory do not fail to read
            throw new PoisonMessage(Reason.UNREADABLE, PoisonMessage.clip(String.valueOf(e.getMessage())));
        } catch (IllegalArgumentException e) { // e.g. a record constructor refusing a value
            throw new PoisonMessage(Reason.UNREADABLE, PoisonMessage.clip(String.valueOf(e.getMessage())));
        }
        if (message == null) {
            throw new PoisonMessage(Reason.UNREADABLE, "JSON null");
        }
        return message;
    }
}

/** The one mapper for results messages: strict on types, lenient on fields it does not know. */
final class ResultsJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ResultsJson() {
    }
}
