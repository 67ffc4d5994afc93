package kafkascale.census;

/**
 * A run of consecutive records of one source: the unit written to the compute topic.
 *
 * @param seq     zero-based position of the chunk within its source (stable for a given chunk size)
 * @param text    the records, joined by '\n'
 * @param records how many records the text holds
 * @param layout  how compute finds HEHOUSUT in these records
 * @param year    the survey year the records are counted under
 */
public record Chunk(long seq, String text, int records, RecordLayout layout, int year) {
}
