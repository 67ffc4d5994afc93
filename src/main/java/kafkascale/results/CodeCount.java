package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One code's line in /results, named as the Go original named it: {@code {"Description": ..., "Count": ...}}. */
public record CodeCount(@JsonProperty("Description") String description, @JsonProperty("Count") long count) {
}
