package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import kafkascale.census.HousingCodes;
import kafkascale.census.RecordDigest;
import kafkascale.census.RejectReason;
import kafkascale.census.SurveyMonth;
import kafkascale.results.PoisonMessage.Reason;
import kafkascale.results.RunFinished.SourceOutcome;
import kafkascale.results.RunFinished.SourceStatus;

/**
 * What /results and /progress serve, built only from results-topic messages ({@link ResultsMessage}),
 * so that replaying the topic from the start rebuilds the same state, whatever the interleaving of its
 * partitions (all messages of a month share a partition, all run messages another).
 *
 * <p><b>Counted generations.</b> Each survey month has at most one counted generation: the counts of
 * one attempt that was read whole (AttemptFinished OK) and whose chunk results all arrived (every
 * position 0..chunks-1 once, adding up to the records sent). Only then does the month change, in one
 * step: if the attempt's digest equals the counted digest nothing changes ("unchanged"), otherwise its
 * counts replace the month's. A failed, partial or never finished attempt never touches the counted
 * generation; it shows in /progress beside it. Two attempts of the same run that read the month with
 * different records are a conflict: the first to complete stands, the other is shown, never summed.
 *
 * <p><b>Bounded.</b> Every number in a message is checked before it is used, and a message that fails
 * a check changes nothing and throws {@link PoisonMessage}. Memory: months by the year range and by a
 * limit ({@value #DEFAULT_MAX_MONTHS} by default), attempts per month by
 * {@value #MAX_PENDING_ATTEMPTS_PER_MONTH} pending plus {@value #MAX_RESOLVED_ATTEMPTS_PER_MONTH} resolved
 * (each holding at most about 2 KB of bounded text), runs by {@value #MAX_RUNS} of at most
 * {@value #MAX_SOURCES_PER_RUN} sources, and the chunk positions remembered for pending attempts (a bit
 * each) by a total budget (16 MiB by default). Worst case with the defaults, whatever is written to the
 * topic: under 100 MB (estimated: 1200 months x 14 attempts x 2 KB, 32 runs x 1000 sources, 16 MiB of
 * bits); a real history of a few hundred months needs a few MB.
 *
 * <p><b>Complete.</b> True once every run the ledger remembers is either done (finished, and every
 * attempt it reported read whole is resolved) or covered (each of its sources was listed by a later
 * started run that is done). So a run whose reader was killed stays visibly incomplete until a later
 * run over the same sources finishes. "Later" is topic order, never a clock.
 *
 * <p>Thread-safe: the consumer applies, HTTP threads read.
 */
public final class ResultsLedger {

    public static final long DEFAULT_MAX_RECORDS_PER_MONTH = 2_000_000;
    public static final int MAX_CHUNK_LINES = 100_000;
    public static final int MAX_PENDING_ATTEMPTS_PER_MONTH = 4;
    public static final int MAX_RESOLVED_ATTEMPTS_PER_MONTH = 10;
    public static final int MAX_RUNS = 32;
    public static final int MAX_SOURCES_PER_RUN = 1000;
    public static final int MAX_ID_CHARS = 64;
    public static final int MAX_SOURCE_CHARS = 512;
    /** Months with any state: a hundred years of them, while the CPS files since 1994 are about 400. */
    public static final int DEFAULT_MAX_MONTHS = 1200;
    /** Chunk positions remembered for all pending attempts together: 2^27 bits, 16 MiB. */
    public static final long DEFAULT_MAX_PENDING_CHUNK_BITS = 1L << 27;
    /** 3000-01-01T00:00:00Z: no message of this program is written later. */
    static final long MAX_EPOCH_MS = 32_503_680_000_000L;

    /** What one message did. */
    public enum Outcome {
        /** A run or an attempt began. */
        STARTED,
        /** A finish was noted; the attempt still waits for chunk results, or the run for its attempts. */
        RECORDED,
        /** A chunk result was counted into its (still pending) attempt. */
        CHUNK_COUNTED,
        /** Applied before (a redelivered chunk result, a resent message): nothing changed. */
        DUPLICATE,
        /** About an attempt already failed or superseded: nothing changed. */
        STALE,
        /** Completed an attempt: its counts are now the month's counts (first counts, or replacing others). */
        MONTH_COUNTED,
        /** Completed an attempt with the same records as the counted ones: nothing changed. */
        MONTH_UNCHANGED,
        /** The attempt failed (the reader said so, or its chunk results do not add up): counts unchanged. */
        ATTEMPT_FAILED,
        /** Completed an attempt that contradicts another of the same run: not applied. */
        ATTEMPT_CONFLICT;

        /** For a {@link ChunkResult}: true when its counts went into its attempt (false for duplicates and stale ones). */
        public boolean chunkCounted() {
            return this != DUPLICATE && this != STALE;
        }
    }

    /** Where an attempt is; the lowercase name appears in /progress. */
    public enum AttemptStatus {
        /** Started; chunks may be counting; the reader has not finished. */
        READING,
        /** The reader read it whole; chunk results are still missing. */
        COUNTING,
        /** Complete, and its counts are (or were) the month's counted generation. */
        COUNTED,
        /** Complete with the same records as the counted generation. */
        UNCHANGED,
        /** The reader failed, or its chunk results did not add up, or no room was left to track it. */
        FAILED,
        /** Complete, but another attempt of the same run read different records for the month first. */
        CONFLICT,
        /** Never finished: a newer attempt of the month completed first, or too many were pending. */
        SUPERSEDED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean standing() {
            return this == COUNTED || this == UNCHANGED;
        }
    }

    private final long maxRecordsPerMonth;
    private final long maxPendingChunkBits;
    private final int maxMonths;
    private final TreeMap<SurveyMonth, MonthLedger> months = new TreeMap<>();
    /** In topic order of their RunStarted, oldest first. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();
    private long reservedChunkBits;

    public ResultsLedger() {
        this(DEFAULT_MAX_RECORDS_PER_MONTH, DEFAULT_MAX_PENDING_CHUNK_BITS, DEFAULT_MAX_MONTHS);
    }

    /**
     * @param maxRecordsPerMonth  the most records a month can have (real months have about 150,000);
     *                            bounds chunk positions and attempt sizes
     * @param maxPendingChunkBits chunk positions remembered for all pending attempts together; an
     *                            attempt that would need more fails at once (see {@link #maxChunks(int)})
     * @param maxMonths           months the ledger holds state for; an attempt at one more month is refused
     *                            ({@code too-many-months}), so forged months cannot fill the heap
     */
    public ResultsLedger(long maxRecordsPerMonth, long maxPendingChunkBits, int maxMonths) {
        if (maxRecordsPerMonth < 1 || maxRecordsPerMonth > Integer.MAX_VALUE || maxPendingChunkBits < 1 || maxMonths < 1) {
            throw new IllegalArgumentException("limits must be positive, and records per month fit an int");
        }
        this.maxRecordsPerMonth = maxRecordsPerMonth;
        this.maxPendingChunkBits = maxPendingChunkBits;
        this.maxMonths = maxMonths;
    }

    /** The most chunks a month can have at this chunk size: ceil(maxRecordsPerMonth / chunkLines). */
    public long maxChunks(int chunkLines) {
        return (maxRecordsPerMonth + chunkLines - 1) / chunkLines;
    }

    /**
     * Parses and applies one results-topic record value.
     *
     * @param appendedAt the Kafka record's timestamp: stored in the log, so a replay sees the same one;
     *                   used only for the times /progress shows ({@code countedAt}, {@code completedAt})
     * @throws PoisonMessage when the message is unreadable or out of bounds; nothing changed
     */
    public Outcome apply(String json, long appendedAt) {
        return apply(ResultsMessage.parse(json), appendedAt);
    }

    /** As {@link #apply(String, long)} for a parsed message. */
    public synchronized Outcome apply(ResultsMessage message, long appendedAt) {
        long at = Math.max(0, Math.min(appendedAt, MAX_EPOCH_MS));
        if (message instanceof ChunkResult chunk) {
            return chunkResult(chunk, at);
        }
        if (message instanceof ChunkResults batch) {
            // the outcome that says most: a month's outcome, else a chunk counted
            Outcome[] most = {Outcome.DUPLICATE};
            applyEach(batch, appendedAt, (chunk, outcome) -> most[0] = rank(outcome) >= rank(most[0]) ? outcome : most[0]);
            return most[0];
        }
        if (message instanceof AttemptStarted start) {
            return attemptStarted(start, at);
        }
        if (message instanceof AttemptFinished finish) {
            return attemptFinished(finish, at);
        }
        if (message instanceof RunStarted start) {
            return runStarted(start);
        }
        if (message instanceof RunFinished finish) {
            return runFinished(finish, at);
        }
        throw new PoisonMessage(Reason.UNREADABLE, "no message");
    }

    /**
     * Applies each chunk of a batch on its own, in order, and tells {@code each} its outcome; all of
     * them even after a poison entry, which then makes the whole message poison.
     *
     * @throws PoisonMessage the first poison entry's, once every other entry is applied
     */
    public synchronized void applyEach(ChunkResults batch, long appendedAt, BiConsumer<ChunkResult, Outcome> each) {
        long at = Math.max(0, Math.min(appendedAt, MAX_EPOCH_MS));
        PoisonMessage poison = null;
        for (ChunkResult chunk : batch.each()) {
            Outcome outcome;
            try {
                outcome = chunkResult(chunk, at);
            } catch (PoisonMessage e) {
                poison = poison == null ? e : poison;
                continue;
            }
            each.accept(chunk, outcome);
        }
        if (poison != null) {
            throw poison;
        }
    }

    private static int rank(Outcome o) {
        return switch (o) {
            case MONTH_COUNTED, MONTH_UNCHANGED, ATTEMPT_FAILED, ATTEMPT_CONFLICT -> 2;
            case CHUNK_COUNTED -> 1;
            default -> 0;
        };
    }

    // ---------------------------------------------------------------- messages

    private Outcome runStarted(RunStarted start) {
        String runId = id(start.runId(), "runId");
        List<String> sources = list(start.sources(), "sources");
        for (String source : sources) {
            text(source, MAX_SOURCE_CHARS, "source");
        }
        time(start.startedAt(), "startedAt");
        Run known = runs.get(runId);
        if (known != null) {
            return same(known.start, start, "run " + runId + " started before with other sources");
        }
        runs.put(runId, new Run(start));
        if (runs.size() > MAX_RUNS) {
            Iterator<Run> oldest = runs.values().iterator();
            oldest.next();
            oldest.remove();
        }
        return Outcome.STARTED;
    }

    private Outcome runFinished(RunFinished finish, long at) {
        String runId = id(finish.runId(), "runId");
        for (SourceOutcome outcome : list(finish.sources(), "sources")) {
            if (outcome == null) {
                throw new PoisonMessage(Reason.MISSING_FIELD, "a null source outcome in run " + runId);
            }
            text(outcome.source(), MAX_SOURCE_CHARS, "source");
            if (outcome.status() == null) {
                throw new PoisonMessage(Reason.MISSING_FIELD, "source outcome without status in run " + runId);
            }
            if (outcome.month() != null) {
                month(outcome.month());
            }
            if (outcome.attemptId() != null) {
                id(outcome.attemptId(), "attemptId");
            }
            if (outcome.status() == SourceStatus.OK && (outcome.month() == null || outcome.attemptId() == null)) {
                throw new PoisonMessage(Reason.MISSING_FIELD, "source read whole without month or attempt in run " + runId);
            }
        }
        time(finish.startedAt(), "startedAt");
        time(finish.finishedAt(), "finishedAt");
        Run run = runs.get(runId);
        if (run == null) {
            throw new PoisonMessage(Reason.UNKNOWN_RUN, "run " + runId + " never started");
        }
        if (run.finish != null) {
            return same(run.finish, finish, "run " + runId + " finished before with other outcomes");
        }
        run.finish = finish;
        run.finishAppendedAt = at;
        return Outcome.RECORDED;
    }

    private Outcome attemptStarted(AttemptStarted start, long at) {
        String attemptId = id(start.attemptId(), "attemptId");
        id(start.runId(), "runId");
        SurveyMonth month = month(start.month());
        text(start.source(), MAX_SOURCE_CHARS, "source");
        int chunkLines = chunkLines(start.chunkLines());
        time(start.startedAt(), "startedAt");
        MonthLedger known = months.get(month);
        Attempt existing = known == null ? null : known.find(attemptId);
        if (existing != null) {
            return same(existing.start, start, "attempt " + attemptId + " started before differently");
        }

        if (known == null && months.size() >= maxMonths) {
            throw new PoisonMessage(Reason.TOO_MANY_MONTHS, "attempt " + attemptId + " at " + month + ": the ledger already holds "
                    + maxMonths + " months");
        }

        MonthLedger m = months.computeIfAbsent(month, MonthLedger::new);
        List<Attempt> pending = m.attempts.stream().filter(Attempt::pending).toList();
        if (pending.size() >= MAX_PENDING_ATTEMPTS_PER_MONTH) {
            Attempt oldest = pending.stream().filter(a -> a.finish == null).findFirst().orElse(pending.get(0));
            supersede(oldest, "more than " + MAX_PENDING_ATTEMPTS_PER_MONTH + " attempts of this month were pending at once", at);
        }
        Attempt attempt = new Attempt(start);
        long bits = maxChunks(chunkLines);
        if (reservedChunkBits + bits > maxPendingChunkBits) {
            // Refusing to track it keeps memory bounded; the month's counts stay as they are and a
            // later re-read (once others are counted) resolves it.
            attempt.status = AttemptStatus.FAILED;
            attempt.note = "too many chunks pending in all months to track this attempt; read the month again later";
            attempt.resolvedAt = at;
            m.lastResolution = AttemptStatus.FAILED;
            m.lastResolvedAt = at;
        } else {
            reservedChunkBits += bits;
            attempt.reservedBits = bits;
            attempt.seqs = new BitSet();
            attempt.codes = new long[HousingCodes.COUNT];
            attempt.rejected = new long[RejectReason.values().length];
        }
        m.attempts.add(attempt);
        m.trimHistory();
        return Outcome.STARTED;
    }

    private Outcome chunkResult(ChunkResult chunk, long at) {
        String attemptId = id(chunk.attemptId(), "attemptId");
        SurveyMonth month = month(chunk.month());
        int chunkLines = chunkLines(chunk.chunkLines());
        if (chunk.seq() < 0 || chunk.seq() >= maxChunks(chunkLines)) {
            throw new PoisonMessage(Reason.BAD_SEQ, "chunk " + chunk.seq() + " of attempt " + attemptId
                    + ": a month of at most " + maxRecordsPerMonth + " records has at most " + maxChunks(chunkLines)
                    + " chunks of " + chunkLines);
        }
        if (chunk.records() < 1 || chunk.records() > chunkLines) {
            throw new PoisonMessage(Reason.BAD_RECORDS, "chunk " + chunk.seq() + " of attempt " + attemptId + " says "
                    + chunk.records() + " records; a chunk holds 1.." + chunkLines);
        }
        long[] codes = codeCounts(chunk, chunkLines);
        long[] rejected = rejectedCounts(chunk, chunkLines);
        long sum = 0;
        for (long n : codes) {
            sum += n;
        }
        for (long n : rejected) {
            sum += n;
        }
        if (sum != chunk.records()) {
            throw new PoisonMessage(Reason.SUMS_MISMATCH, "chunk " + chunk.seq() + " of attempt " + attemptId
                    + ": counted plus rejected records make " + sum + ", not " + chunk.records());
        }
        time(chunk.readAt(), "readAt");
        MonthLedger m = months.get(month);
        Attempt attempt = m == null ? null : m.find(attemptId);
        if (attempt == null) {
            throw new PoisonMessage(Reason.UNKNOWN_ATTEMPT, "attempt " + attemptId + " never started for " + month);
        }
        if (chunkLines != attempt.start.chunkLines()) {
            throw new PoisonMessage(Reason.BAD_CHUNK_LINES, "chunk of " + chunkLines + " lines for attempt " + attemptId
                    + " that cuts chunks of " + attempt.start.chunkLines());
        }
        if (attempt.finish != null && attempt.finish.status() == AttemptFinished.Status.OK
                && chunk.seq() >= attempt.finish.chunks()) {
            throw new PoisonMessage(Reason.BAD_SEQ, "chunk " + chunk.seq() + " of attempt " + attemptId
                    + " that sent " + attempt.finish.chunks() + " chunks");
        }
        if (!attempt.pending()) {
            // a completed attempt had every position counted; a failed or superseded one counts nothing more
            return attempt.status == AttemptStatus.FAILED || attempt.status == AttemptStatus.SUPERSEDED
                    ? Outcome.STALE : Outcome.DUPLICATE;
        }
        int seq = (int) chunk.seq();
        if (attempt.seqs.get(seq)) {
            return Outcome.DUPLICATE;
        }
        attempt.seqs.set(seq);
        for (int c = 0; c < codes.length; c++) {
            attempt.codes[c] += codes[c];
        }
        for (int r = 0; r < rejected.length; r++) {
            attempt.rejected[r] += rejected[r];
        }
        attempt.chunksCounted++;
        attempt.recordsCounted += chunk.records();
        return resolveIfComplete(m, attempt, at).orElse(Outcome.CHUNK_COUNTED);
    }

    private Outcome attemptFinished(AttemptFinished finish, long at) {
        String attemptId = id(finish.attemptId(), "attemptId");
        String runId = id(finish.runId(), "runId");
        SurveyMonth month = month(finish.month());
        if (finish.status() == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "attempt " + attemptId + " finished without status");
        }
        boolean ok = finish.status() == AttemptFinished.Status.OK;
        if (finish.records() < 0 || finish.records() > maxRecordsPerMonth || finish.chunks() < 0
                || finish.chunks() > maxRecordsPerMonth || finish.bytes() < 0) {
            throw new PoisonMessage(Reason.BAD_RECORDS, "attempt " + attemptId + " finished with " + finish.chunks()
                    + " chunks, " + finish.records() + " records, " + finish.bytes() + " bytes; a month has at most "
                    + maxRecordsPerMonth + " records");
        }
        if (ok ? !RecordDigest.isDigest(finish.digest()) : finish.digest() != null && !RecordDigest.isDigest(finish.digest())) {
            throw new PoisonMessage(Reason.BAD_DIGEST, "attempt " + attemptId + " finished with digest '"
                    + finish.digest() + "'; expected 64 lowercase hex digits");
        }
        if (finish.location() != null) {
            text(finish.location(), MAX_SOURCE_CHARS, "location");
        }
        time(finish.finishedAt(), "finishedAt");
        MonthLedger m = months.get(month);
        Attempt attempt = m == null ? null : m.find(attemptId);
        if (attempt == null) {
            throw new PoisonMessage(Reason.UNKNOWN_ATTEMPT, "attempt " + attemptId + " never started for " + month);
        }
        if (!runId.equals(attempt.start.runId())) {
            throw new PoisonMessage(Reason.MISMATCH, "attempt " + attemptId + " started in run " + attempt.start.runId()
                    + ", finished in run " + runId);
        }
        int chunkLines = attempt.start.chunkLines();
        if (ok && (finish.records() < 1 || finish.chunks() != (finish.records() + chunkLines - 1) / chunkLines)) {
            throw new PoisonMessage(Reason.BAD_RECORDS, "attempt " + attemptId + " read " + finish.records()
                    + " records in " + finish.chunks() + " chunks of " + chunkLines + "; that does not fit");
        }
        if (attempt.finish != null) {
            return same(attempt.finish, finish, "attempt " + attemptId + " finished before differently");
        }

        attempt.finish = finish;
        if (!attempt.pending()) {
            return Outcome.STALE; // kept for /progress; it already stopped counting
        }
        if (!ok) {
            resolveFailed(m, attempt, "the reader failed", at);
            return Outcome.ATTEMPT_FAILED;
        }
        if (attempt.seqs.length() > finish.chunks() || attempt.recordsCounted > finish.records()) {
            resolveFailed(m, attempt, "chunk results beyond what the reader sent (" + finish.chunks() + " chunks, "
                    + finish.records() + " records)", at);
            return Outcome.ATTEMPT_FAILED;
        }
        return resolveIfComplete(m, attempt, at).orElse(Outcome.RECORDED);
    }

    // ---------------------------------------------------------------- resolution

    private Optional<Outcome> resolveIfComplete(MonthLedger m, Attempt attempt, long at) {
        AttemptFinished finish = attempt.finish;
        if (finish == null || finish.status() != AttemptFinished.Status.OK || attempt.chunksCounted < finish.chunks()) {
            return Optional.empty();
        }
        if (attempt.recordsCounted != finish.records()) {
            resolveFailed(m, attempt, "chunk results hold " + attempt.recordsCounted + " records, the reader sent "
                    + finish.records(), at);
            return Optional.of(Outcome.ATTEMPT_FAILED);
        }
        String digest = finish.digest();
        Optional<Attempt> standing = m.attempts.stream()
                .filter(a -> a != attempt && a.status.standing() && a.start.runId().equals(attempt.start.runId()))
                .findFirst();
        Outcome outcome;
        if (standing.isPresent() && !standing.get().finish.digest().equals(digest)) {
            attempt.status = AttemptStatus.CONFLICT;
            attempt.note = "run " + attempt.start.runId() + " read this month with other records in attempt "
                    + standing.get().start.attemptId() + ", which stands";
            outcome = Outcome.ATTEMPT_CONFLICT;
        } else if (m.counted != null && m.counted.digest().equals(digest)) {
            attempt.status = AttemptStatus.UNCHANGED;
            outcome = Outcome.MONTH_UNCHANGED;
        } else {
            m.counted = new Generation(attempt.start.attemptId(), attempt.start.runId(), attempt.start.source(),
                    digest, finish.records(), attempt.start.chunkLines(), attempt.codes.clone(),
                    rejectedView(attempt.rejected), at);
            attempt.status = AttemptStatus.COUNTED;
            outcome = Outcome.MONTH_COUNTED;
        }
        release(attempt, at);
        m.lastResolution = attempt.status;
        m.lastResolvedAt = at;
        // an older attempt of the month that never finished (its reader killed, most likely) is moot now
        for (Attempt older : m.attempts) {
            if (older == attempt) {
                break;
            }
            if (older.pending() && older.finish == null) {
                supersede(older, "attempt " + attempt.start.attemptId() + " of this month was read whole first", at);
            }
        }
        m.trimHistory();
        return Optional.of(outcome);
    }

    private void resolveFailed(MonthLedger m, Attempt attempt, String note, long at) {
        attempt.status = AttemptStatus.FAILED;
        attempt.note = note;
        release(attempt, at);
        m.lastResolution = AttemptStatus.FAILED;
        m.lastResolvedAt = at;
        m.trimHistory();
    }

    private void supersede(Attempt attempt, String note, long at) {
        attempt.status = AttemptStatus.SUPERSEDED;
        attempt.note = note;
        release(attempt, at);
    }

    /** Frees what a pending attempt holds: its chunk positions and partial counts. */
    private void release(Attempt attempt, long at) {
        reservedChunkBits -= attempt.reservedBits;
        attempt.reservedBits = 0;
        attempt.seqs = null;
        attempt.codes = null;
        attempt.rejected = null;
        attempt.resolvedAt = at;
    }

    // ---------------------------------------------------------------- views

    /** Counts per year and code, summed over the counted generations of the year's months: year -> code -> {Description, Count}. */
    public synchronized Map<String, Map<String, CodeCount>> results() {
        Map<Integer, long[]> byYear = new TreeMap<>();
        months.forEach((month, m) -> {
            if (m.counted != null) {
                long[] sum = byYear.computeIfAbsent(month.year(), y -> new long[HousingCodes.COUNT]);
                for (int c = 0; c < HousingCodes.COUNT; c++) {
                    sum[c] += m.counted.codes()[c];
                }
            }
        });
        Map<String, Map<String, CodeCount>> out = new LinkedHashMap<>();
        byYear.forEach((year, counts) -> {
            Map<String, CodeCount> codes = new LinkedHashMap<>();
            for (int c = HousingCodes.MIN; c <= HousingCodes.MAX; c++) {
                codes.put(Integer.toString(c), new CodeCount(HousingCodes.description(c), counts[c]));
            }
            out.put(Integer.toString(year), codes);
        });
        return out;
    }

    /** The counts of one year, or null when no month of it is counted. */
    public synchronized Map<String, CodeCount> results(String year) {
        return results().get(year);
    }

    /** The body of /progress. */
    public synchronized Progress progress() {
        List<Run> order = new ArrayList<>(runs.values());
        // a run is covered when later-started runs that are done listed all its sources: walk back from the newest
        boolean[] done = new boolean[order.size()];
        boolean[] coveredByLater = new boolean[order.size()];
        Set<String> laterDoneSources = new HashSet<>();
        boolean anyLaterDone = false;
        for (int i = order.size() - 1; i >= 0; i--) {
            Run run = order.get(i);
            done[i] = settled(run);
            coveredByLater[i] = anyLaterDone && laterDoneSources.containsAll(run.start.sources());
            if (done[i]) {
                anyLaterDone = true;
                laterDoneSources.addAll(run.start.sources());
            }
        }
        List<RunView> runViews = new ArrayList<>(order.size());
        boolean complete = !order.isEmpty();
        Long completedAt = null;
        for (int i = 0; i < order.size(); i++) {
            Run run = order.get(i);
            boolean covered = !done[i] && coveredByLater[i];
            complete &= done[i] || covered;
            String status = done[i] ? "done" : covered ? "superseded" : run.finish != null ? "counting" : "reading";
            runViews.add(new RunView(run.start.runId(), status, run.start.startedAt(),
                    run.finish == null ? null : run.finish.finishedAt(), run.start.sources(),
                    run.finish == null ? null : run.finish.sources()));
            if (run.finish != null) {
                completedAt = completedAt == null ? run.finishAppendedAt : Math.max(completedAt, run.finishAppendedAt);
            }
        }
        Map<String, MonthView> monthViews = new LinkedHashMap<>();
        for (MonthLedger m : months.values()) {
            monthViews.put(m.month.toString(), m.view());
            if (m.lastResolvedAt != null) {
                completedAt = completedAt == null ? m.lastResolvedAt : Math.max(completedAt, m.lastResolvedAt);
            }
        }
        Run latest = order.isEmpty() ? null : order.get(order.size() - 1);
        return new Progress(complete, latest == null ? null : latest.start.runId(),
                latest == null ? null : latest.start.startedAt(),
                latest == null || latest.finish == null ? null : latest.finish.finishedAt(),
                complete ? completedAt : null, runViews, monthViews);
    }

    /** How much the ledger holds, for gauges and for tests that check a refused message added nothing. */
    public synchronized Footprint footprint() {
        int attempts = 0;
        int pending = 0;
        for (MonthLedger m : months.values()) {
            attempts += m.attempts.size();
            pending += (int) m.attempts.stream().filter(Attempt::pending).count();
        }
        return new Footprint(months.size(), attempts, pending, runs.size(), reservedChunkBits);
    }

    /** A run is done: it finished, and each source it read whole has its attempt resolved. */
    private boolean settled(Run run) {
        if (run.finish == null) {
            return false;
        }
        for (SourceOutcome outcome : run.finish.sources()) {
            if (outcome.status() != SourceStatus.OK) {
                continue; // the reader gave up on it: nothing of it will change the counts
            }
            MonthLedger m = months.get(SurveyMonth.parse(outcome.month()));
            Attempt attempt = m == null ? null : m.find(outcome.attemptId());
            if (attempt == null || attempt.pending()) {
                return false; // not arrived yet (another partition), or still counting
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- checks

    private static String id(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "no " + field);
        }
        if (value.length() > MAX_ID_CHARS) {
            throw new PoisonMessage(Reason.TOO_LONG, field + " of " + value.length() + " characters; at most " + MAX_ID_CHARS);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == ':')) {
                throw new PoisonMessage(Reason.BAD_ID, field + " '" + value + "' has a character other than letters, digits, . _ - :");
            }
        }
        return value;
    }

    private static SurveyMonth month(String value) {
        if (value == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "no month");
        }
        return SurveyMonth.tryParse(value).orElseThrow(() -> new PoisonMessage(Reason.BAD_MONTH,
                "month '" + value + "' is not yyyy-MM within " + SurveyMonth.FIRST_YEAR + ".." + SurveyMonth.LAST_YEAR));
    }

    private static void text(String value, int max, String field) {
        if (value == null || value.isEmpty()) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "no " + field);
        }
        if (value.length() > max) {
            throw new PoisonMessage(Reason.TOO_LONG, field + " of " + value.length() + " characters; at most " + max);
        }
    }

    private static <T> List<T> list(List<T> value, String field) {
        if (value == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "no " + field);
        }
        if (value.size() > MAX_SOURCES_PER_RUN) {
            throw new PoisonMessage(Reason.TOO_LONG, value.size() + " " + field + "; at most " + MAX_SOURCES_PER_RUN);
        }
        return value;
    }

    private static void time(long epochMs, String field) {
        if (epochMs < 0 || epochMs > MAX_EPOCH_MS) {
            throw new PoisonMessage(Reason.BAD_TIME, field + " " + epochMs + " is not a time between 1970 and 3000");
        }
    }

    private static int chunkLines(int chunkLines) {
        if (chunkLines < 1 || chunkLines > MAX_CHUNK_LINES) {
            throw new PoisonMessage(Reason.BAD_CHUNK_LINES, "chunks of " + chunkLines + " lines; expected 1.." + MAX_CHUNK_LINES);
        }
        return chunkLines;
    }

    private static long[] codeCounts(ChunkResult chunk, int chunkLines) {
        if (chunk.counts() == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "chunk result without counts");
        }
        long[] codes = new long[HousingCodes.COUNT];
        for (Map.Entry<Integer, Long> e : chunk.counts().entrySet()) {
            if (e.getKey() == null || !HousingCodes.isValid(e.getKey())) {
                throw new PoisonMessage(Reason.UNKNOWN_CODE, "count for code " + e.getKey() + "; codes are "
                        + HousingCodes.MIN + ".." + HousingCodes.MAX);
            }
            codes[e.getKey()] = count(e.getValue(), chunkLines, "code " + e.getKey());
        }
        return codes;
    }

    private static long[] rejectedCounts(ChunkResult chunk, int chunkLines) {
        if (chunk.rejected() == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "chunk result without rejected");
        }
        long[] rejected = new long[RejectReason.values().length];
        for (Map.Entry<String, Long> e : chunk.rejected().entrySet()) {
            RejectReason reason = null;
            for (RejectReason r : RejectReason.values()) {
                if (r.tag().equals(e.getKey())) {
                    reason = r;
                }
            }
            if (reason == null) {
                throw new PoisonMessage(Reason.UNKNOWN_REJECT_REASON, "rejected records tagged '" + e.getKey() + "'");
            }
            rejected[reason.ordinal()] = count(e.getValue(), chunkLines, "rejected " + reason.tag());
        }
        return rejected;
    }

    private static long count(Long n, int chunkLines, String what) {
        if (n == null) {
            throw new PoisonMessage(Reason.MISSING_FIELD, "no count for " + what);
        }
        if (n < 0 || n > chunkLines) {
            throw new PoisonMessage(Reason.BAD_COUNT, what + " counted " + n + " times in a chunk of " + chunkLines);
        }
        return n;
    }

    /** The same message again is a duplicate; another one under the same id contradicts it. */
    private static Outcome same(Object before, Object now, String contradiction) {
        if (before.equals(now)) {
            return Outcome.DUPLICATE;
        }
        throw new PoisonMessage(Reason.MISMATCH, contradiction);
    }

    private static Map<String, Long> rejectedView(long[] rejected) {
        Map<String, Long> view = new TreeMap<>();
        for (RejectReason r : RejectReason.values()) {
            if (rejected[r.ordinal()] != 0) {
                view.put(r.tag(), rejected[r.ordinal()]);
            }
        }
        return view;
    }

    // ---------------------------------------------------------------- state

    private static final class Run {
        final RunStarted start;
        RunFinished finish;
        long finishAppendedAt;

        Run(RunStarted start) {
            this.start = start;
        }
    }

    /** The counts that stand for a month, from one complete attempt. */
    private record Generation(String attemptId, String runId, String source, String digest, long records,
                              int chunkLines, long[] codes, Map<String, Long> rejected, long countedAt) {
    }

    private static final class Attempt {
        final AttemptStarted start;
        AttemptFinished finish;
        AttemptStatus status = AttemptStatus.READING;
        String note;
        long chunksCounted;
        long recordsCounted;
        Long resolvedAt;
        // held only while pending:
        long reservedBits;
        BitSet seqs;
        long[] codes;
        long[] rejected;

        Attempt(AttemptStarted start) {
            this.start = start;
        }

        boolean pending() {
            return seqs != null;
        }

        AttemptView view() {
            AttemptStatus shown = pending() && finish != null ? AttemptStatus.COUNTING : status;
            return new AttemptView(start.attemptId(), start.runId(), start.source(), shown.tag(), note,
                    start.chunkLines(), finish == null ? null : finish.chunks(), finish == null ? null : finish.records(),
                    chunksCounted, recordsCounted, finish == null ? null : finish.digest(),
                    finish == null ? null : finish.bytes(), finish == null ? null : finish.location(),
                    finish == null ? null : finish.error(), start.startedAt(), finish == null ? null : finish.finishedAt(),
                    resolvedAt);
        }
    }

    private static final class MonthLedger {
        final SurveyMonth month;
        Generation counted;
        /** In start order; every pending one plus the latest resolved ones. */
        final List<Attempt> attempts = new ArrayList<>();
        AttemptStatus lastResolution;
        Long lastResolvedAt;

        MonthLedger(SurveyMonth month) {
            this.month = month;
        }

        Attempt find(String attemptId) {
            for (Attempt a : attempts) {
                if (a.start.attemptId().equals(attemptId)) {
                    return a;
                }
            }
            return null;
        }

        void trimHistory() {
            long resolved = attempts.stream().filter(a -> !a.pending()).count();
            for (Iterator<Attempt> it = attempts.iterator(); it.hasNext() && resolved > MAX_RESOLVED_ATTEMPTS_PER_MONTH; ) {
                if (!it.next().pending()) {
                    it.remove();
                    resolved--;
                }
            }
        }

        MonthView view() {
            String status;
            if (attempts.stream().anyMatch(a -> a.pending() && a.finish == null)) {
                status = "reading";
            } else if (attempts.stream().anyMatch(Attempt::pending)) {
                status = "counting";
            } else if (lastResolution == null || lastResolution == AttemptStatus.FAILED) {
                status = "failed";
            } else if (lastResolution == AttemptStatus.CONFLICT) {
                status = "conflict";
            } else {
                status = "counted";
            }
            CountedView countedView = null;
            if (counted != null) {
                Map<String, Long> codes = new LinkedHashMap<>();
                for (int c = 0; c < counted.codes().length; c++) {
                    if (counted.codes()[c] != 0) {
                        codes.put(Integer.toString(c), counted.codes()[c]);
                    }
                }
                countedView = new CountedView(counted.attemptId(), counted.runId(), counted.source(), counted.digest(),
                        counted.records(), counted.chunkLines(), codes, counted.rejected(), counted.countedAt());
            }
            return new MonthView(status, countedView, attempts.stream().map(Attempt::view).toList());
        }
    }

    // ---------------------------------------------------------------- JSON views

    /**
     * The body of /progress.
     *
     * @param complete    every remembered run is done or covered by a later one (see the class comment)
     * @param runId       the latest started run
     * @param completedAt the record time of the last run finish or attempt resolution while complete; null while not
     * @param runs        the remembered runs, oldest first
     * @param months      per survey month ({@code 2019-01}), oldest first
     */
    public record Progress(boolean complete, String runId, Long runStartedAt, Long runFinishedAt, Long completedAt,
                           List<RunView> runs, Map<String, MonthView> months) {
    }

    /**
     * One run in /progress.
     *
     * @param status   reading (not finished), counting (finished, attempts still counting), done, or
     *                 superseded (never done, but a later run over its sources is)
     * @param outcomes per source, once finished
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(String runId, String status, long startedAt, Long finishedAt, List<String> sources,
                          List<SourceOutcome> outcomes) {
    }

    /**
     * One month in /progress.
     *
     * @param status   reading / counting (an attempt in progress), counted, failed (the latest attempt
     *                 failed; the counted generation, if any, is still what is served), conflict
     * @param counted  the generation served in /results, or null
     * @param attempts the latest attempts, oldest first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MonthView(String status, CountedView counted, List<AttemptView> attempts) {
    }

    /** The counted generation of a month: whose counts /results serves for it. */
    public record CountedView(String attemptId, String runId, String source, String digest, long records,
                              int chunkLines, Map<String, Long> counts, Map<String, Long> rejected, long countedAt) {
    }

    /**
     * One attempt in /progress.
     *
     * @param status {@link AttemptStatus#tag()}
     * @param note   why the ledger failed, superseded or refused it as a conflict
     * @param error  why the reader failed, in its words
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(String attemptId, String runId, String source, String status, String note, int chunkLines,
                              Long chunks, Long records, long chunksCounted, long recordsCounted, String digest,
                              Long bytes, String location, String error, long startedAt, Long finishedAt,
                              Long resolvedAt) {
    }

    /** What the ledger holds. {@code reservedChunkBits}: chunk positions reserved for pending attempts. */
    public record Footprint(int months, int attempts, int pendingAttempts, int runs, long reservedChunkBits) {
    }
}
