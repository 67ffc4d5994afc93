package kafkascale.results;

/**
 * A reader begins reading one month from one source. The reader sends it, and waits until the broker
 * has acknowledged it, before the month's first chunk goes to compute: so on the month's partition it
 * always comes before the attempt's chunk results, and a chunk result for an attempt the ledger never
 * saw start is forged.
 *
 * @param attemptId  unique per attempt (a UUID)
 * @param runId      the run it belongs to
 * @param month      the survey month of the records, {@code 2019-01} (see {@link kafkascale.census.SurveyMonth})
 * @param source     where it is read from (URL or path), for people
 * @param chunkLines records per chunk in this attempt; every chunk result must say the same
 * @param startedAt  epoch ms
 */
public record AttemptStarted(String attemptId, String runId, String month, String source, int chunkLines,
                             long startedAt) implements ResultsMessage {

    @Override
    public String key() {
        return ResultsMessage.monthKey(month);
    }
}
