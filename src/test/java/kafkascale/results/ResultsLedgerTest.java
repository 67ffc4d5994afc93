package kafkascale.results;

import static kafkascale.results.LedgerScript.expectedYear;
import static kafkascale.results.LedgerScript.runFinished;
import static kafkascale.results.LedgerScript.runStarted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kafkascale.census.HousingCodes;
import kafkascale.results.LedgerScript.Month;
import kafkascale.results.LedgerScript.Rec;
import kafkascale.results.PoisonMessage.Reason;
import kafkascale.results.ResultsLedger.AttemptView;
import kafkascale.results.ResultsLedger.MonthView;
import kafkascale.results.ResultsLedger.Outcome;
import org.junit.jupiter.api.Test;

class ResultsLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Month jan = new Month("2019-01", 95, 1);
    private final Month feb = new Month("2019-02", 70, 2);
    private long clock = 1_700_000_000_000L;

    /** Applies a message the way the results route does: as the JSON on the topic, with a record timestamp. */
    private Outcome apply(ResultsLedger ledger, ResultsMessage message) {
        return ledger.apply(ResultsMessage.toJson(message), clock += 1000);
    }

    private List<Outcome> applyAll(ResultsLedger ledger, List<? extends ResultsMessage> messages) {
        List<Outcome> outcomes = new ArrayList<>();
        for (ResultsMessage m : messages) {
            outcomes.add(apply(ledger, m));
        }
        return outcomes;
    }

    private static long[] served(ResultsLedger ledger, String year) {
        Map<String, CodeCount> codes = ledger.results(year);
        assertNotNull(codes, "no counts for " + year);
        assertEquals(HousingCodes.COUNT, codes.size(), "every code is listed");
        long[] out = new long[HousingCodes.COUNT];
        codes.forEach((code, count) -> out[Integer.parseInt(code)] = count.count());
        return out;
    }

    private static MonthView month(ResultsLedger ledger, Month month) {
        return ledger.progress().months().get(month.month);
    }

    private static List<String> attemptStatuses(ResultsLedger ledger, Month month) {
        return month(ledger, month).attempts().stream().map(AttemptView::status).toList();
    }

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    /** A ledger with jan counted in run r1 (attempt a1, 10 lines a chunk, run finished). */
    private ResultsLedger countedJanuary() {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        applyAll(ledger, jan.attempt("a1", "r1", "jan19pub.dat.gz", 10));
        apply(ledger, runFinished("r1", LedgerScript.ok("jan19pub.dat.gz", jan, "a1")));
        assertTrue(ledger.progress().complete());
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        return ledger;
    }

    @Test
    void countsAMonthExactlyOnceItsLastChunkIsIn() {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        assertEquals(Outcome.STARTED, apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10)));
        List<ResultsMessage> chunks = jan.chunks("a1", 10);
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertEquals(Outcome.CHUNK_COUNTED, apply(ledger, chunks.get(i)));
            assertNull(ledger.results("2019"), "nothing is served before the attempt is whole");
        }
        assertEquals(Outcome.RECORDED, apply(ledger, jan.ok("a1", "r1", 10)), "finish before the last chunk result");
        assertEquals("counting", month(ledger, jan).status());
        assertEquals(Outcome.MONTH_COUNTED, apply(ledger, chunks.get(chunks.size() - 1)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        assertEquals(jan.count(1), ledger.results().get("2019").get("1").count());
        assertEquals("HOUSE, APARTMENT, FLAT", ledger.results().get("2019").get("1").description());
        MonthView view = month(ledger, jan);
        assertEquals("counted", view.status());
        assertEquals("a1", view.counted().attemptId());
        assertEquals(jan.digest(), view.counted().digest());
        assertEquals(95, view.counted().records());
        assertEquals(jan.count(-1), view.counted().rejected().get("garbled-code"));
        assertNull(ledger.results("2020"));
    }

    @Test
    void aBatchOfChunkResultsCountsLikeItsChunksOneByOne() throws Exception {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10));
        List<ChunkResult> chunks = jan.chunks("a1", 10).stream().map(ChunkResult.class::cast).toList();
        apply(ledger, jan.ok("a1", "r1", 10));
        assertEquals(Outcome.CHUNK_COUNTED, apply(ledger, ChunkResults.of(chunks.subList(0, 4))));
        assertEquals(Outcome.DUPLICATE, apply(ledger, ChunkResults.of(chunks.subList(1, 3))), "redelivered: nothing changes");
        assertNull(ledger.results("2019"));
        assertEquals(Outcome.MONTH_COUNTED, apply(ledger, ChunkResults.of(chunks.subList(2, chunks.size()))),
                "overlapping the counted ones, completing the month");
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        assertEquals("counted", month(ledger, jan).status());
    }

    @Test
    void aPoisonEntryMakesItsBatchPoisonAfterTheOtherEntriesCount() throws Exception {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10));
        apply(ledger, jan.ok("a1", "r1", 10));
        List<ChunkResult> chunks = new ArrayList<>(jan.chunks("a1", 10).stream().map(ChunkResult.class::cast).toList());
        ChunkResult last = chunks.get(chunks.size() - 1);
        chunks.add(1, new ChunkResult("a1", "2019-01", 2_147_483_000L, 10, 1, Map.of(1, 1L), Map.of(), last.readAt()));
        PoisonMessage poison = assertThrows(PoisonMessage.class, () -> apply(ledger, ChunkResults.of(chunks)));
        assertEquals(Reason.BAD_SEQ, poison.reason());
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"), "every good entry counted, the forged one not");
        assertEquals(Reason.BAD_RECORDS, assertThrows(PoisonMessage.class,
                () -> apply(ledger, new ChunkResults("a1", "2019-01", 10, List.of()))).reason());
        assertEquals(Reason.UNREADABLE, assertThrows(PoisonMessage.class,
                () -> ledger.apply("{\"type\":\"chunk-results\",\"attemptId\":\"a1\",\"month\":\"2019-01\",\"chunkLines\":10,"
                        + "\"chunks\":[{\"seq\":0.5}]}", clock)).reason());
    }

    @Test
    void rereadingTheSameContentChangesNothing() throws Exception {
        ResultsLedger ledger = countedJanuary();
        String before = json(ledger.results());
        apply(ledger, runStarted("r2", "/copies/jan19pub.dat"));
        List<Outcome> outcomes = applyAll(ledger, jan.attempt("a2", "r2", "/copies/jan19pub.dat", 7));
        assertEquals(Outcome.MONTH_UNCHANGED, outcomes.get(outcomes.size() - 1), "other chunk size, same records");
        assertEquals(before, json(ledger.results()));
        assertEquals("a1", month(ledger, jan).counted().attemptId(), "the counted generation stays");
        assertEquals(List.of("counted", "unchanged"), attemptStatuses(ledger, jan));
    }

    @Test
    void correctedContentReplacesTheMonthInOneStepOnceFullyCounted() throws Exception {
        ResultsLedger ledger = countedJanuary();
        Month corrected = jan.corrected(3, 7).corrected(40, 9);
        String old = json(ledger.results());
        apply(ledger, runStarted("r2", "jan19pub.dat.gz"));
        List<ResultsMessage> attempt = corrected.attempt("a2", "r2", "jan19pub.dat.gz", 10);
        for (int i = 0; i < attempt.size() - 1; i++) {
            apply(ledger, attempt.get(i));
            assertEquals(old, json(ledger.results()), "never a mix of old and new counts (message " + i + ")");
        }
        assertEquals(Outcome.MONTH_COUNTED, apply(ledger, attempt.get(attempt.size() - 1)));
        assertArrayEquals(expectedYear(corrected), served(ledger, "2019"));
        assertEquals(jan.count(7) + 1, served(ledger, "2019")[7]);
        assertEquals("a2", month(ledger, jan).counted().attemptId());
        assertEquals(corrected.digest(), month(ledger, jan).counted().digest());
    }

    @Test
    void failedPartialAndKilledAttemptsLeaveTheCountsAndShowTheAttempt() throws Exception {
        ResultsLedger ledger = countedJanuary();
        String counted = json(ledger.results());
        Month truncated = jan.corrected(0, 12); // other records, so replacing would be visible

        // a truncated download: some chunks counted, then the reader fails
        apply(ledger, runStarted("r2", "jan19pub.dat.gz"));
        apply(ledger, truncated.start("a2", "r2", "jan19pub.dat.gz", 10));
        applyAll(ledger, truncated.chunks("a2", 10).subList(0, 4));
        assertEquals(Outcome.ATTEMPT_FAILED, apply(ledger, truncated.failed("a2", "r2", 10, 4,
                "truncated: EOFException: Unexpected end of ZLIB input stream")));
        assertEquals(Outcome.STALE, apply(ledger, truncated.chunk("a2", 10, 4)), "a late chunk of the failed attempt");
        apply(ledger, runFinished("r2", LedgerScript.failed("jan19pub.dat.gz", truncated, "a2", "truncated")));
        assertEquals(counted, json(ledger.results()));
        MonthView view = month(ledger, jan);
        assertEquals("failed", view.status());
        assertEquals("a1", view.counted().attemptId(), "the last good counts stay beside the failure");
        AttemptView failed = view.attempts().get(1);
        assertEquals("failed", failed.status());
        assertTrue(failed.error().startsWith("truncated"), failed.error());
        assertEquals(4, failed.chunksCounted());
        assertTrue(ledger.progress().complete(), "a failed month resolves its run");

        // HTTP 500 before the month was known: only the run says so
        apply(ledger, runStarted("r3", "http://census/feb19pub.zip"));
        apply(ledger, runFinished("r3", LedgerScript.failed("http://census/feb19pub.zip", null, null, "http-500")));
        assertTrue(ledger.progress().complete());
        assertEquals("failed", ledger.progress().runs().get(2).outcomes().get(0).status().name().toLowerCase());

        // read whole but some chunk results never arrive: counting, not counted, run not complete
        apply(ledger, runStarted("r4", "jan19pub.dat.gz"));
        apply(ledger, truncated.start("a4", "r4", "jan19pub.dat.gz", 10));
        applyAll(ledger, truncated.chunks("a4", 10).subList(1, 10));
        apply(ledger, truncated.ok("a4", "r4", 10));
        apply(ledger, runFinished("r4", LedgerScript.ok("jan19pub.dat.gz", truncated, "a4")));
        assertEquals("counting", month(ledger, jan).status());
        assertFalse(ledger.progress().complete());
        assertEquals(counted, json(ledger.results()));

        // a reader killed mid-file: no finish at all
        apply(ledger, runStarted("r5", "jan19pub.dat.gz"));
        apply(ledger, truncated.start("a5", "r5", "jan19pub.dat.gz", 10));
        applyAll(ledger, truncated.chunks("a5", 10).subList(0, 5));
        assertEquals("reading", month(ledger, jan).status());
        assertEquals(counted, json(ledger.results()));
        assertEquals(List.of("counted", "failed", "counting", "reading"), attemptStatuses(ledger, jan));
    }

    @Test
    void oneMonthUnderFourNamesAndFormatsIsCountedOnce() {
        ResultsLedger ledger = new ResultsLedger();
        String[] sources = {"/data/jan19pub.dat.gz", "/data/jan19pub.zip", "/data/jan19pub.dat", "/other/jan19pub.dat.gz"};
        apply(ledger, runStarted("r1", sources));
        int[] chunkLines = {10, 7, 100, 1};
        List<Outcome> resolutions = new ArrayList<>();
        RunFinished.SourceOutcome[] outcomes = new RunFinished.SourceOutcome[4];
        for (int i = 0; i < 4; i++) {
            List<Outcome> o = applyAll(ledger, jan.attempt("a" + i, "r1", sources[i], chunkLines[i]));
            resolutions.add(o.get(o.size() - 1));
            outcomes[i] = LedgerScript.ok(sources[i], jan, "a" + i);
        }
        apply(ledger, runFinished("r1", outcomes));
        assertEquals(List.of(Outcome.MONTH_COUNTED, Outcome.MONTH_UNCHANGED, Outcome.MONTH_UNCHANGED,
                Outcome.MONTH_UNCHANGED), resolutions);
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        assertTrue(ledger.progress().complete());
        assertEquals(1, ledger.progress().months().size());
    }

    @Test
    void twoFilesClaimingOneMonthInOneRunAreAConflictNeverSummed() {
        ResultsLedger ledger = new ResultsLedger();
        Month other = new Month("2019-01", 60, 99); // another file that also says January 2019
        apply(ledger, runStarted("r1", "a/jan19pub.dat.gz", "b/jan19pub.dat.gz"));
        applyAll(ledger, jan.attempt("a1", "r1", "a/jan19pub.dat.gz", 10));
        List<Outcome> second = applyAll(ledger, other.attempt("a2", "r1", "b/jan19pub.dat.gz", 10));
        assertEquals(Outcome.ATTEMPT_CONFLICT, second.get(second.size() - 1));
        apply(ledger, runFinished("r1", LedgerScript.ok("a/jan19pub.dat.gz", jan, "a1"),
                LedgerScript.ok("b/jan19pub.dat.gz", other, "a2")));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"), "the first to complete stands");
        MonthView view = month(ledger, jan);
        assertEquals("conflict", view.status());
        assertEquals(List.of("counted", "conflict"), attemptStatuses(ledger, jan));
        assertTrue(view.attempts().get(1).note().contains("a1"), view.attempts().get(1).note());
        assertTrue(ledger.progress().complete(), "a conflict is resolved: shown, not waited for");

        // a later run that reads only the other file replaces the month: a re-publication
        apply(ledger, runStarted("r2", "b/jan19pub.dat.gz"));
        List<Outcome> reread = applyAll(ledger, other.attempt("a3", "r2", "b/jan19pub.dat.gz", 10));
        assertEquals(Outcome.MONTH_COUNTED, reread.get(reread.size() - 1));
        assertArrayEquals(expectedYear(other), served(ledger, "2019"));
        assertEquals("counted", month(ledger, jan).status());
    }

    @Test
    void redeliveredAndZombieChunkResultsNeverCountTwice() {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10));
        List<ResultsMessage> chunks = jan.chunks("a1", 10);
        // a compute worker that lost its partition wrote the first half again, interleaved
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(Outcome.CHUNK_COUNTED, apply(ledger, chunks.get(i)));
            if (i >= 1 && i <= 5) {
                assertEquals(Outcome.DUPLICATE, apply(ledger, chunks.get(i - 1)));
            }
        }
        assertEquals(Outcome.MONTH_COUNTED, apply(ledger, jan.ok("a1", "r1", 10)));
        for (ResultsMessage late : chunks) {
            assertEquals(Outcome.DUPLICATE, apply(ledger, late), "the zombie's late result after the month is counted");
        }
        assertEquals(Outcome.DUPLICATE, apply(ledger, jan.ok("a1", "r1", 10)), "the finish resent");
        assertEquals(Outcome.DUPLICATE, apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));

        // results of a killed reader's chunks, arriving after a newer attempt of the month completed
        apply(ledger, runStarted("r2", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a2", "r2", "jan19pub.dat.gz", 20));
        apply(ledger, jan.chunk("a2", 20, 0));
        apply(ledger, runStarted("r3", "jan19pub.dat.gz"));
        applyAll(ledger, jan.attempt("a3", "r3", "jan19pub.dat.gz", 30));
        assertEquals("superseded", attemptStatuses(ledger, jan).get(1));
        assertEquals(Outcome.STALE, apply(ledger, jan.chunk("a2", 20, 1)));
        assertEquals(Outcome.STALE, apply(ledger, jan.ok("a2", "r2", 20)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
    }

    @Test
    void completeIsFalseDuringARunAndAfterAKilledRunUntilALaterRunCoversIt() {
        ResultsLedger ledger = new ResultsLedger();
        assertFalse(ledger.progress().complete(), "no run yet");
        assertNull(ledger.progress().runId());

        apply(ledger, runStarted("r1", "jan19pub.dat.gz", "feb19pub.dat.gz"));
        assertFalse(ledger.progress().complete());
        applyAll(ledger, jan.attempt("a1", "r1", "jan19pub.dat.gz", 10));
        applyAll(ledger, feb.attempt("b1", "r1", "feb19pub.dat.gz", 10));
        assertFalse(ledger.progress().complete(), "the reader has not finished");
        apply(ledger, runFinished("r1", LedgerScript.ok("jan19pub.dat.gz", jan, "a1"),
                LedgerScript.ok("feb19pub.dat.gz", feb, "b1")));
        assertTrue(ledger.progress().complete());
        Long completedAt = ledger.progress().completedAt();
        assertEquals(clock, completedAt, "the record time of the message that completed it");

        // a second run: not complete from its first message on
        apply(ledger, runStarted("r2", "jan19pub.dat.gz", "feb19pub.dat.gz"));
        assertFalse(ledger.progress().complete());
        assertNull(ledger.progress().completedAt());
        assertEquals("r2", ledger.progress().runId());
        // ... whose reader is killed in February
        applyAll(ledger, jan.attempt("a2", "r2", "jan19pub.dat.gz", 10));
        apply(ledger, feb.start("b2", "r2", "feb19pub.dat.gz", 10));
        applyAll(ledger, feb.chunks("b2", 10).subList(0, 3));
        assertFalse(ledger.progress().complete(), "a killed run stays incomplete");
        assertArrayEquals(expectedYear(jan, feb), served(ledger, "2019"));

        // a later run over other sources does not cover it
        apply(ledger, runStarted("r3", "mar19pub.dat.gz"));
        apply(ledger, runFinished("r3", LedgerScript.failed("mar19pub.dat.gz", null, null, "http-404")));
        assertFalse(ledger.progress().complete());
        assertEquals("reading", ledger.progress().runs().get(1).status());

        // a re-run of the same sources with another chunk size covers it
        apply(ledger, runStarted("r4", "jan19pub.dat.gz", "feb19pub.dat.gz"));
        applyAll(ledger, jan.attempt("a4", "r4", "jan19pub.dat.gz", 25));
        applyAll(ledger, feb.attempt("b4", "r4", "feb19pub.dat.gz", 25));
        assertFalse(ledger.progress().complete());
        apply(ledger, runFinished("r4", LedgerScript.ok("jan19pub.dat.gz", jan, "a4"),
                LedgerScript.ok("feb19pub.dat.gz", feb, "b4")));
        assertTrue(ledger.progress().complete());
        assertEquals(List.of("done", "superseded", "done", "done"),
                ledger.progress().runs().stream().map(ResultsLedger.RunView::status).toList());
        assertEquals(List.of("counted", "superseded", "unchanged"), attemptStatuses(ledger, feb));
        assertArrayEquals(expectedYear(jan, feb), served(ledger, "2019"), "exact: the killed run's chunks are not in");
        assertEquals(0, ledger.footprint().pendingAttempts());
        assertEquals(0, ledger.footprint().reservedChunkBits());
    }

    @Test
    void aRunFinishedBeforeItsChunkResultsIsNotComplete() {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10));
        apply(ledger, jan.ok("a1", "r1", 10));
        apply(ledger, runFinished("r1", LedgerScript.ok("jan19pub.dat.gz", jan, "a1")));
        assertFalse(ledger.progress().complete(), "compute has not counted anything yet");
        assertEquals("counting", ledger.progress().runs().get(0).status());
        applyAll(ledger, jan.chunks("a1", 10));
        assertTrue(ledger.progress().complete());
    }

    @Test
    void yearsSumTheirCountedMonths() {
        ResultsLedger ledger = new ResultsLedger();
        Month jan20 = new Month("2020-01", 40, 3);
        apply(ledger, runStarted("r1", "a", "b", "c"));
        applyAll(ledger, jan.attempt("a1", "r1", "a", 10));
        applyAll(ledger, feb.attempt("a2", "r1", "b", 10));
        applyAll(ledger, jan20.attempt("a3", "r1", "c", 10));
        assertArrayEquals(expectedYear(jan, feb), served(ledger, "2019"));
        assertArrayEquals(expectedYear(jan20), served(ledger, "2020"));
        assertEquals(List.of("2019", "2020"), new ArrayList<>(ledger.results().keySet()));
        assertEquals(List.of("2019-01", "2019-02", "2020-01"), new ArrayList<>(ledger.progress().months().keySet()));
    }

    // ------------------------------------------------------------------ poison

    /** One refused message: what it is, and the reason it must be refused with. */
    private record Poison(String what, String json, Reason reason) {
    }

    private static String chunkJson(String attemptId, String month, String seq, int chunkLines, long records,
                                    String counts, String rejected) {
        return "{\"type\":\"chunk-result\",\"attemptId\":\"" + attemptId + "\",\"month\":\"" + month + "\",\"seq\":" + seq
                + ",\"chunkLines\":" + chunkLines + ",\"records\":" + records + ",\"counts\":" + counts
                + ",\"rejected\":" + rejected + ",\"readAt\":1700000000000}";
    }

    private List<Poison> poisons() {
        String digest = jan.digest();
        String longText = "x".repeat(ResultsLedger.MAX_SOURCE_CHARS + 1);
        List<String> manySources = Collections.nCopies(ResultsLedger.MAX_SOURCES_PER_RUN + 1, "s");
        return List.of(
                new Poison("garbage", "{{{ not json", Reason.UNREADABLE),
                new Poison("empty", "", Reason.UNREADABLE),
                new Poison("JSON null", "null", Reason.UNREADABLE),
                new Poison("old message type", "{\"type\":\"source\",\"source\":\"jan19pub\"}", Reason.UNREADABLE),
                new Poison("no type", "{\"attemptId\":\"a1\"}", Reason.UNREADABLE),
                new Poison("trailing garbage", chunkJson("a1", "2019-01", "9", 10, 5, "{\"1\":5}", "{}") + "}", Reason.UNREADABLE),
                new Poison("fractional seq", chunkJson("a1", "2019-01", "1.5", 10, 10, "{\"1\":10}", "{}"), Reason.UNREADABLE),
                new Poison("seq as text", chunkJson("a1", "2019-01", "\"1\"", 10, 10, "{\"1\":10}", "{}"), Reason.UNREADABLE),
                new Poison("seq past long", chunkJson("a1", "2019-01", "99999999999999999999", 10, 10, "{\"1\":10}", "{}"), Reason.UNREADABLE),
                new Poison("huge seq", chunkJson("a1", "2019-01", "2147483000", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_SEQ),
                new Poison("seq past the month's most chunks", chunkJson("a1", "2019-01", "200000", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_SEQ),
                new Poison("negative seq", chunkJson("a1", "2019-01", "-1", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_SEQ),
                new Poison("unknown code", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":9,\"13\":1}", "{}"), Reason.UNKNOWN_CODE),
                new Poison("negative code", chunkJson("a1", "2019-01", "3", 10, 10, "{\"-1\":1,\"1\":9}", "{}"), Reason.UNKNOWN_CODE),
                new Poison("negative count", chunkJson("a1", "2019-01", "3", 10, 10, "{\"5\":-1,\"1\":11}", "{}"), Reason.BAD_COUNT),
                new Poison("count larger than the chunk", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":4000000000,\"5\":-3999999990}", "{}"), Reason.BAD_COUNT),
                new Poison("sums do not add up", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":9}", "{}"), Reason.SUMS_MISMATCH),
                new Poison("rejected do not add up", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":9}", "{\"garbled-code\":2}"), Reason.SUMS_MISMATCH),
                new Poison("unknown reject tag", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":9}", "{\"made-up\":1}"), Reason.UNKNOWN_REJECT_REASON),
                new Poison("more records than chunk lines", chunkJson("a1", "2019-01", "3", 10, 11, "{\"1\":11}", "{}"), Reason.BAD_RECORDS),
                new Poison("empty chunk", chunkJson("a1", "2019-01", "3", 10, 0, "{}", "{}"), Reason.BAD_RECORDS),
                new Poison("no counts", chunkJson("a1", "2019-01", "3", 10, 10, "null", "{}"), Reason.MISSING_FIELD),
                new Poison("null count", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":null}", "{}"), Reason.MISSING_FIELD),
                new Poison("forged attempt", chunkJson("forged", "2019-01", "3", 10, 10, "{\"1\":10}", "{}"), Reason.UNKNOWN_ATTEMPT),
                new Poison("the attempt under another month", chunkJson("a1", "2019-02", "3", 10, 10, "{\"1\":10}", "{}"), Reason.UNKNOWN_ATTEMPT),
                new Poison("other chunk size than the attempt", chunkJson("a1", "2019-01", "3", 20, 10, "{\"1\":10}", "{}"), Reason.BAD_CHUNK_LINES),
                new Poison("chunk size 0", chunkJson("a1", "2019-01", "3", 0, 10, "{\"1\":10}", "{}"), Reason.BAD_CHUNK_LINES),
                new Poison("month 13", chunkJson("a1", "2019-13", "3", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_MONTH),
                new Poison("year before the survey files", chunkJson("a1", "1993-01", "3", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_MONTH),
                new Poison("no month", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":10}", "{}").replace("\"month\":\"2019-01\",", ""), Reason.MISSING_FIELD),
                new Poison("readAt before 1970", chunkJson("a1", "2019-01", "3", 10, 10, "{\"1\":10}", "{}").replace("1700000000000", "-5"), Reason.BAD_TIME),
                new Poison("over-long attempt id", chunkJson("a".repeat(65), "2019-01", "3", 10, 10, "{\"1\":10}", "{}"), Reason.TOO_LONG),
                new Poison("markup in an id", chunkJson("<script>", "2019-01", "3", 10, 10, "{\"1\":10}", "{}"), Reason.BAD_ID),
                new Poison("over-long source", ResultsMessage.toJson(jan.start("a9", "r1", longText, 10)), Reason.TOO_LONG),
                new Poison("attempt re-started differently", ResultsMessage.toJson(jan.start("a1", "r1", "elsewhere", 10)), Reason.MISMATCH),
                new Poison("chunk size past the limit", ResultsMessage.toJson(jan.start("a9", "r1", "s", 100_001)), Reason.BAD_CHUNK_LINES),
                new Poison("too many sources", ResultsMessage.toJson(new RunStarted("r9", manySources, 0)), Reason.TOO_LONG),
                new Poison("no sources", "{\"type\":\"run-started\",\"runId\":\"r9\",\"startedAt\":0}", Reason.MISSING_FIELD),
                new Poison("run re-started differently", ResultsMessage.toJson(runStarted("r1", "other")), Reason.MISMATCH),
                new Poison("finish of a run never started", ResultsMessage.toJson(runFinished("r9")), Reason.UNKNOWN_RUN),
                new Poison("ok source without attempt", ResultsMessage.toJson(runFinished("r1", new RunFinished.SourceOutcome(
                        "jan19pub.dat.gz", RunFinished.SourceStatus.OK, "2019-01", null, null))), Reason.MISSING_FIELD),
                new Poison("finish of a forged attempt", ResultsMessage.toJson(new AttemptFinished("forged", "r1", "2019-01",
                        AttemptFinished.Status.OK, 10, 95, digest, 1, null, null, 0)), Reason.UNKNOWN_ATTEMPT),
                new Poison("finish in another run", ResultsMessage.toJson(new AttemptFinished("a1", "r9", "2019-01",
                        AttemptFinished.Status.OK, 10, 95, digest, 1, null, null, 0)), Reason.MISMATCH),
                new Poison("ok finish without digest", ResultsMessage.toJson(new AttemptFinished("a1", "r1", "2019-01",
                        AttemptFinished.Status.OK, 10, 95, null, 1, null, null, 0)), Reason.BAD_DIGEST),
                new Poison("upper-case digest", ResultsMessage.toJson(new AttemptFinished("a1", "r1", "2019-01",
                        AttemptFinished.Status.OK, 10, 95, digest.toUpperCase(), 1, null, null, 0)), Reason.BAD_DIGEST),
                new Poison("more records than a month", ResultsMessage.toJson(new AttemptFinished("a1", "r1", "2019-01",
                        AttemptFinished.Status.OK, 200_001, 2_000_001, digest, 1, null, null, 0)), Reason.BAD_RECORDS),
                new Poison("chunks that do not fit the records", ResultsMessage.toJson(new AttemptFinished("a1", "r1", "2019-01",
                        AttemptFinished.Status.OK, 3, 95, digest, 1, null, null, 0)), Reason.BAD_RECORDS),
                new Poison("negative bytes", ResultsMessage.toJson(new AttemptFinished("a1", "r1", "2019-01",
                        AttemptFinished.Status.OK, 10, 95, digest, -1, null, null, 0)), Reason.BAD_RECORDS),
                new Poison("status as a number", ResultsMessage.toJson(jan.ok("a1", "r1", 10)).replace("\"ok\"", "0"), Reason.UNREADABLE));
    }

    @Test
    void everyPoisonMessageIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        ResultsLedger ledger = new ResultsLedger();
        apply(ledger, runStarted("r1", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a1", "r1", "jan19pub.dat.gz", 10));
        applyAll(ledger, jan.chunks("a1", 10).subList(0, 3));
        String results = json(ledger.results());
        String progress = json(ledger.progress());
        ResultsLedger.Footprint footprint = ledger.footprint();
        for (Poison poison : poisons()) {
            PoisonMessage refused = assertThrows(PoisonMessage.class, () -> ledger.apply(poison.json(), clock),
                    poison.what());
            assertEquals(poison.reason(), refused.reason(), poison.what() + ": " + refused.getMessage());
            assertTrue(refused.getMessage().startsWith(poison.reason().tag() + ": "), refused.getMessage());
            assertTrue(refused.getMessage().length() < 700, "a forged value is not echoed whole");
            assertEquals(results, json(ledger.results()), poison.what());
            assertEquals(progress, json(ledger.progress()), poison.what());
            assertEquals(footprint, ledger.footprint(), poison.what());
        }
        // and the replay goes on: the real attempt completes exactly
        applyAll(ledger, jan.chunks("a1", 10).subList(3, 10));
        assertEquals(Outcome.MONTH_COUNTED, apply(ledger, jan.ok("a1", "r1", 10)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        // once the attempt said how many chunks it sent, a position past them is refused too
        PoisonMessage late = assertThrows(PoisonMessage.class,
                () -> apply(ledger, new ChunkResult("a1", "2019-01", 10, 10, 5, Map.of(1, 5L), Map.of(), 0)));
        assertEquals(Reason.BAD_SEQ, late.reason());
    }

    @Test
    void chunkResultsBeyondWhatTheReaderSentFailTheAttempt() {
        ResultsLedger ledger = countedJanuary();
        apply(ledger, runStarted("r2", "jan19pub.dat.gz"));
        apply(ledger, jan.start("a2", "r2", "jan19pub.dat.gz", 10));
        // a forged result at a position the attempt will turn out never to have had
        apply(ledger, new ChunkResult("a2", "2019-01", 50, 10, 10, Map.of(1, 10L), Map.of(), 0));
        applyAll(ledger, jan.chunks("a2", 10));
        assertEquals(Outcome.ATTEMPT_FAILED, apply(ledger, jan.ok("a2", "r2", 10)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
        assertTrue(month(ledger, jan).attempts().get(1).note().contains("beyond"));

        // and one whose records do not add up to what the reader sent
        Month shorter = jan.corrected(0, 5);
        apply(ledger, shorter.start("a3", "r2", "jan19pub.dat.gz", 10));
        List<ResultsMessage> chunks = new ArrayList<>(shorter.chunks("a3", 10));
        chunks.set(9, new ChunkResult("a3", "2019-01", 9, 10, 4, Map.of(1, 4L), Map.of(), 0)); // the last has 5
        applyAll(ledger, chunks);
        assertEquals(Outcome.ATTEMPT_FAILED, apply(ledger, shorter.ok("a3", "r2", 10)));
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));
    }

    @Test
    void memoryStaysBoundedWhateverArrives() {
        // the three forged messages of the issue: huge positions under made-up sources
        ResultsLedger ledger = new ResultsLedger();
        for (int i = 0; i < 3; i++) {
            String forged = chunkJson("made-up-" + i, "2019-01", "2147483000", 10, 10, "{\"1\":10}", "{}");
            assertThrows(PoisonMessage.class, () -> ledger.apply(forged, 0));
        }
        assertEquals(new ResultsLedger.Footprint(0, 0, 0, 0, 0), ledger.footprint());

        // at most four pending attempts per month: the oldest unfinished is superseded
        apply(ledger, runStarted("r1", "s"));
        for (int i = 0; i < 6; i++) {
            apply(ledger, jan.start("p" + i, "r1", "s" + i, 10));
            applyAll(ledger, jan.chunks("p" + i, 10).subList(0, 2));
        }
        assertEquals(ResultsLedger.MAX_PENDING_ATTEMPTS_PER_MONTH, ledger.footprint().pendingAttempts());
        assertEquals(List.of("superseded", "superseded", "reading", "reading", "reading", "reading"),
                attemptStatuses(ledger, jan));
        assertEquals(Outcome.STALE, apply(ledger, jan.chunk("p0", 10, 5)));

        // at most ten resolved attempts per month are remembered
        for (int i = 0; i < 15; i++) {
            applyAll(ledger, jan.attempt("q" + i, "r1", "s", 10));
        }
        assertEquals(ResultsLedger.MAX_RESOLVED_ATTEMPTS_PER_MONTH, month(ledger, jan).attempts().size());
        assertArrayEquals(expectedYear(jan), served(ledger, "2019"));

        // at most 32 runs are remembered
        for (int i = 0; i < 40; i++) {
            apply(ledger, runStarted("many-" + i, "s"));
        }
        assertEquals(ResultsLedger.MAX_RUNS, ledger.footprint().runs());

        // chunk positions of pending attempts stay within the budget; past it an attempt fails at once
        ResultsLedger small = new ResultsLedger(2_000_000, 5_000_000, 3);
        apply(small, runStarted("r1", "s"));
        apply(small, jan.start("one-line-chunks", "r1", "s", 1)); // 2,000,000 positions
        apply(small, feb.start("one-line-chunks-too", "r1", "s", 1));
        apply(small, new Month("2019-03", 10, 3).start("no-room", "r1", "s", 1));
        assertEquals(4_000_000, small.footprint().reservedChunkBits());
        assertEquals("failed", small.progress().months().get("2019-03").status());
        assertTrue(small.progress().months().get("2019-03").attempts().get(0).note().contains("too many chunks pending"));
        assertEquals(Outcome.STALE, apply(small, new Month("2019-03", 10, 3).chunk("no-room", 1, 0)));
        for (int seq = 0; seq < jan.codes.length; seq++) {
            apply(small, jan.chunk("one-line-chunks", 1, seq));
        }
        assertEquals(Outcome.MONTH_COUNTED, apply(small, jan.ok("one-line-chunks", "r1", 1)));
        assertEquals(2_000_000, small.footprint().reservedChunkBits(), "released once counted");
        assertArrayEquals(expectedYear(jan), served(small, "2019"));

        // and months beyond the ledger's limit are refused, so forged months cannot fill the heap
        ResultsLedger.Footprint before = small.footprint();
        PoisonMessage refused = assertThrows(PoisonMessage.class,
                () -> apply(small, new Month("2999-12", 10, 4).start("far-future", "r1", "s", 10)));
        assertEquals(Reason.TOO_MANY_MONTHS, refused.reason());
        assertEquals(before, small.footprint());
    }

    // ------------------------------------------------------------------ replay

    /** A topic's worth of history: several runs and months, a correction, a failure, a conflict, a killed reader, duplicates. */
    private List<Rec> history() {
        List<Rec> log = new ArrayList<>();
        long[] at = {1_700_000_000_000L};
        java.util.function.Consumer<ResultsMessage> add = m -> log.add(new Rec(m, at[0] += 1000));
        Month mar = new Month("2019-03", 33, 3);
        Month jan20 = new Month("2020-01", 50, 4);
        Month other = new Month("2020-01", 20, 5);
        add.accept(runStarted("r1", "jan", "feb", "mar", "jan20", "jan20-other"));
        jan.attempt("a1", "r1", "jan", 10).forEach(add);
        feb.attempt("b1", "r1", "feb", 7).forEach(add);
        List<ResultsMessage> march = mar.attempt("c1", "r1", "mar", 5);
        march.subList(0, 3).forEach(add);
        add.accept(mar.failed("c1", "r1", 5, 2, "http-500: server error"));
        march.subList(1, 3).forEach(add); // late and duplicate chunk results of the failed attempt
        jan20.attempt("d1", "r1", "jan20", 10).forEach(add);
        other.attempt("e1", "r1", "jan20-other", 10).forEach(add); // conflict
        jan.chunks("a1", 10).subList(2, 5).forEach(add); // zombie results
        add.accept(runFinished("r1", LedgerScript.ok("jan", jan, "a1"), LedgerScript.ok("feb", feb, "b1"),
                LedgerScript.failed("mar", mar, "c1", "http-500"), LedgerScript.ok("jan20", jan20, "d1"),
                LedgerScript.ok("jan20-other", other, "e1")));
        add.accept(runStarted("r2", "jan", "mar"));
        Month corrected = jan.corrected(5, 4);
        corrected.attempt("a2", "r2", "jan", 12).forEach(add); // a correction
        add.accept(mar.start("c2", "r2", "mar", 5));
        mar.chunks("c2", 5).subList(0, 4).forEach(add); // reader killed
        add.accept(runStarted("r3", "jan", "mar"));
        jan.chunks("a1", 10).forEach(add); // a very late zombie
        corrected.attempt("a3", "r3", "jan", 3).forEach(add);
        mar.attempt("c3", "r3", "mar", 6).forEach(add);
        add.accept(runFinished("r3", LedgerScript.ok("jan", corrected, "a3"), LedgerScript.ok("mar", mar, "c3")));
        add.accept(new RunStarted("r1", List.of("poison: contradicts r1"), 0)); // refused, replay goes on
        return log;
    }

    private static ResultsLedger replay(List<Rec> log) {
        ResultsLedger ledger = new ResultsLedger();
        for (Rec rec : log) {
            try {
                ledger.apply(rec.json(), rec.at());
            } catch (PoisonMessage refused) {
                // the route sends it to the dead-letter topic and goes on
            }
        }
        return ledger;
    }

    @Test
    void theHistoryEndsExactAndComplete() throws Exception {
        ResultsLedger ledger = replay(history());
        Month corrected = jan.corrected(5, 4);
        Month mar = new Month("2019-03", 33, 3);
        assertArrayEquals(expectedYear(corrected, feb, mar), served(ledger, "2019"));
        assertArrayEquals(expectedYear(new Month("2020-01", 50, 4)), served(ledger, "2020"));
        assertTrue(ledger.progress().complete(), json(ledger.progress().runs()));
        assertEquals("conflict", ledger.progress().months().get("2020-01").status());
        assertEquals(0, ledger.footprint().pendingAttempts());
    }

    @Test
    void replayingTheSameMessagesGivesTheSameStateEvenTwice() throws Exception {
        List<Rec> log = history();
        ResultsLedger once = replay(log);
        ResultsLedger again = replay(log);
        List<Rec> twice = new ArrayList<>(log);
        twice.addAll(log);
        ResultsLedger doubled = replay(twice);
        assertEquals(json(once.results()), json(again.results()));
        assertEquals(json(once.progress()), json(again.progress()));
        assertEquals(json(once.results()), json(doubled.results()));
        assertEquals(json(once.progress()), json(doubled.progress()));
        assertEquals(once.footprint(), doubled.footprint());
    }

    @Test
    void anyInterleavingOfThreePartitionsGivesTheSameState() throws Exception {
        List<Rec> log = history();
        ResultsLedger reference = replay(log);
        String results = json(reference.results());
        String progress = json(reference.progress());
        Map<Integer, List<Rec>> partitions = new TreeMap<>();
        for (Rec rec : log) {
            partitions.computeIfAbsent(Math.floorMod(rec.key().hashCode(), 3), p -> new ArrayList<>()).add(rec);
        }
        assertEquals(3, partitions.size(), "the history spreads over all three partitions");
        for (long seed = 1; seed <= 25; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Map<Integer, Integer> next = new LinkedHashMap<>();
            partitions.keySet().forEach(p -> next.put(p, 0));
            List<Rec> interleaved = new ArrayList<>(log.size());
            while (interleaved.size() < log.size()) {
                List<Integer> open = next.keySet().stream().filter(p -> next.get(p) < partitions.get(p).size()).toList();
                int p = open.get(random.nextInt(open.size()));
                int burst = 1 + random.nextInt(20); // a consumer poll takes a run of records from one partition
                for (int i = 0; i < burst && next.get(p) < partitions.get(p).size(); i++) {
                    interleaved.add(partitions.get(p).get(next.get(p)));
                    next.merge(p, 1, Integer::sum);
                }
            }
            ResultsLedger ledger = replay(interleaved);
            assertEquals(results, json(ledger.results()), "seed " + seed);
            assertEquals(progress, json(ledger.progress()), "seed " + seed);
        }
    }

    // ------------------------------------------------------------------ messages

    @Test
    void messagesRoundTripThroughJsonUnderTheirKeys() {
        List<ResultsMessage> messages = new ArrayList<>(jan.attempt("a1", "r1", "jan19pub.dat.gz", 10));
        messages.add(runStarted("r1", "jan19pub.dat.gz"));
        messages.add(runFinished("r1", LedgerScript.ok("jan19pub.dat.gz", jan, "a1"),
                LedgerScript.failed("feb19pub.dat.gz", null, null, "unknown-month: no HRMONTH")));
        messages.add(jan.failed("a2", "r1", 10, 3, "http-500"));
        for (ResultsMessage m : messages) {
            assertEquals(m, ResultsMessage.parse(ResultsMessage.toJson(m)), ResultsMessage.toJson(m));
        }
        assertEquals("runs", runStarted("r1").key());
        assertEquals("runs", runFinished("r1").key());
        assertEquals("month/2019-01", jan.start("a1", "r1", "s", 10).key());
        assertEquals("month/2019-01", jan.chunk("a1", 10, 0).key());
        assertEquals("month/2019-01", jan.ok("a1", "r1", 10).key());
        String chunk = ResultsMessage.toJson(jan.chunk("a1", 10, 0));
        assertTrue(chunk.startsWith("{\"type\":\"chunk-result\","), chunk);
        assertTrue(ResultsMessage.toJson(jan.ok("a1", "r1", 10)).contains("\"status\":\"ok\""));
        assertFalse(ResultsMessage.toJson(jan.ok("a1", "r1", 10)).contains("\"error\""), "no nulls written");
        // an error text is for people: a long one is cut, not refused
        AttemptFinished longError = jan.failed("a2", "r1", 10, 3, "e".repeat(10_000));
        assertEquals(AttemptFinished.MAX_ERROR_CHARS, longError.error().length());
        assertEquals(AttemptFinished.MAX_ERROR_CHARS,
                ((AttemptFinished) ResultsMessage.parse(ResultsMessage.toJson(longError).replace(longError.error(),
                        "e".repeat(10_000)))).error().length());
    }
}
