package kafkascale.census;

import java.nio.charset.StandardCharsets;

/**
 * A run of consecutive records of one source: the unit written to the compute topic.
 *
 * @param seq     zero-based position of the chunk within its source (stable for a given chunk size)
 * @param bytes   the records as they were in the file, joined by '\n': the compute topic's message value
 * @param records how many records it holds
 * @param layout  how compute finds HEHOUSUT in these records
 * @param year    the survey year the records are counted under
 */
public record Chunk(long seq, byte[] bytes, int records, RecordLayout layout, int year) {

    /** The records as text, one char per byte (ISO-8859-1): for tests and display, not the hot path. */
    public String text() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
