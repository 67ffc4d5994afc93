package kafkascale.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kafkascale.census.HousingCodes;
import kafkascale.results.PipelineMessages.ChunkResult;
import kafkascale.results.PipelineMessages.ResultsMessage;
import kafkascale.results.PipelineMessages.RunSummary;
import kafkascale.results.PipelineMessages.SourceStatus;
import kafkascale.results.PipelineMessages.SourceSummary;

/**
 * The running totals behind /results and /progress, built only from results-topic messages, so that
 * replaying the topic from the start rebuilds the same state.
 *
 * <p>Each chunk is counted once: per source it remembers which chunk positions it has counted (a bit
 * each), so a redelivered chunk or a second reader run is ignored. The chunk size of the first chunk
 * counted for a source fixes that source's chunking; chunks of the same source cut at another size
 * are ignored too (they hold the same records again). A source whose reader broke off is left out of
 * /results, so a half-read file never passes for a whole one. Memory grows with sources and chunks,
 * not with records.
 *
 * @deprecated a failed re-read or a second name changes its counts (issue #12); replaced by
 *             {@link ResultsLedger}. Delete with {@link PipelineMessages} once the routes use the ledger.
 */
@Deprecated
public final class ResultsAggregate {

    /** What happened to one incoming message. */
    public enum Outcome { COUNTED, DUPLICATE, OTHER_CHUNKING, RECORDED }

    private final Map<String, SourceTally> sources = new TreeMap<>();
    private RunSummary latestRun;

    public synchronized Outcome apply(ResultsMessage message) {
        if (message instanceof ChunkResult chunk) {
            SourceTally.validate(chunk);
            return tally(chunk.source()).add(chunk);
        }
        if (message instanceof SourceSummary summary) {
            if (summary.source() == null || summary.status() == null) {
                throw new IllegalArgumentException("source summary without source or status");
            }
            SourceTally tally = tally(summary.source());
            if (tally.summary == null || summary.finishedAt() >= tally.summary.finishedAt()) {
                tally.summary = summary;
            }
            return Outcome.RECORDED;
        }
        RunSummary run = (RunSummary) message;
        if (run.runId() == null || run.sources() == null) {
            throw new IllegalArgumentException("run summary without id or sources");
        }
        if (latestRun == null || run.finishedAt() >= latestRun.finishedAt()) {
            latestRun = run;
        }
        return Outcome.RECORDED;
    }

    /** Counts per year and code, in the Go original's shape: year -> code -> {Description, Count}. */
    public synchronized Map<String, Map<String, CodeCount>> results() {
        Map<Integer, long[]> byYear = new TreeMap<>();
        for (SourceTally tally : sources.values()) {
            if (tally.includedInResults() && tally.year != 0) {
                long[] sum = byYear.computeIfAbsent(tally.year, y -> new long[HousingCodes.COUNT]);
                for (int c = 0; c < HousingCodes.COUNT; c++) {
                    sum[c] += tally.codes[c];
                }
            }
        }
        Map<String, Map<String, CodeCount>> out = new LinkedHashMap<>();
        byYear.forEach((year, counts) -> out.put(Integer.toString(year), yearView(counts)));
        return out;
    }

    /** The counts of one year, or null when no source of that year has been seen. */
    public synchronized Map<String, CodeCount> results(String year) {
        return results().get(year);
    }

    public synchronized Progress progress() {
        Map<String, SourceProgress> view = new LinkedHashMap<>();
        sources.forEach((id, tally) -> view.put(id, tally.view()));
        boolean complete = latestRun != null
                && latestRun.sources().stream().allMatch(id -> sources.containsKey(id) && sources.get(id).done());
        return new Progress(complete, latestRun == null ? null : latestRun.runId(),
                latestRun == null ? null : latestRun.startedAt(), latestRun == null ? null : latestRun.finishedAt(),
                latestRun == null ? List.of() : latestRun.sources(), view);
    }

    private SourceTally tally(String source) {
        return sources.computeIfAbsent(source, s -> new SourceTally());
    }

    private static Map<String, CodeCount> yearView(long[] counts) {
        Map<String, CodeCount> codes = new LinkedHashMap<>();
        for (int c = HousingCodes.MIN; c <= HousingCodes.MAX; c++) {
            codes.put(Integer.toString(c), new CodeCount(HousingCodes.description(c), counts[c]));
        }
        return codes;
    }

    /** One code's line in /results, named as the Go original named it. */
    public record CodeCount(@JsonProperty("Description") String description, @JsonProperty("Count") long count) {
    }

    /** The body of /progress. {@code complete}: the latest reader run is done and every chunk it produced is counted. */
    public record Progress(boolean complete, String runId, Long runStartedAt, Long runFinishedAt, List<String> runSources,
                           Map<String, SourceProgress> sources) {
    }

    /** One source in /progress. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceProgress(int year, String status, boolean inResults, int chunkLines,
                                 Long chunksProduced, Long recordsProduced, long chunksCounted,
                                 long recordsCounted, Map<String, Long> rejected, long duplicateChunks,
                                 long otherChunkingChunks, String error) {
    }

    private static final class SourceTally {
        private int year;
        private int chunkLines;
        private final BitSet counted = new BitSet();
        private final long[] codes = new long[HousingCodes.COUNT];
        private final Map<String, Long> rejected = new TreeMap<>();
        private long chunksCounted;
        private long recordsCounted;
        private long duplicates;
        private long otherChunking;
        private SourceSummary summary;

        Outcome add(ChunkResult chunk) {
            if (chunkLines == 0) {
                chunkLines = chunk.chunkLines();
                year = chunk.year();
            } else if (chunk.chunkLines() != chunkLines) {
                otherChunking++;
                return Outcome.OTHER_CHUNKING;
            }
            int seq = (int) chunk.seq();
            if (counted.get(seq)) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            counted.set(seq);
            chunk.counts().forEach((code, n) -> codes[code] += n);
            chunk.rejected().forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
            chunksCounted++;
            recordsCounted += chunk.records();
            return Outcome.COUNTED;
        }

        static void validate(ChunkResult chunk) {
            if (chunk.source() == null || chunk.counts() == null || chunk.rejected() == null) {
                throw new IllegalArgumentException("chunk result without source or counts");
            }
            if (chunk.seq() < 0 || chunk.seq() > Integer.MAX_VALUE || chunk.chunkLines() < 1) {
                throw new IllegalArgumentException("chunk " + chunk.key() + " has an impossible position or size");
            }
            for (Map.Entry<Integer, Long> e : chunk.counts().entrySet()) {
                if (e.getKey() == null || !HousingCodes.isValid(e.getKey()) || e.getValue() == null || e.getValue() < 0) {
                    throw new IllegalArgumentException("chunk " + chunk.key() + " counts unknown code " + e.getKey());
                }
            }
        }

        boolean includedInResults() {
            return summary == null || summary.status() == SourceStatus.OK;
        }

        /** Nothing more will arrive for this source: it is summarised, and if read whole, fully counted. */
        boolean done() {
            if (summary == null) {
                return false;
            }
            return summary.status() != SourceStatus.OK || recordsCounted == summary.records();
        }

        SourceProgress view() {
            String status = summary == null ? "reading" : summary.status().name().toLowerCase(java.util.Locale.ROOT);
            if ("ok".equals(status)) {
                status = done() ? "counted" : "counting";
            }
            int shownYear = year != 0 ? year : summary == null ? 0 : summary.year();
            return new SourceProgress(shownYear, status, includedInResults(),
                    chunkLines != 0 ? chunkLines : summary == null ? 0 : summary.chunkLines(),
                    summary == null ? null : summary.chunks(), summary == null ? null : summary.records(),
                    chunksCounted, recordsCounted, Map.copyOf(rejected), duplicates, otherChunking,
                    summary == null ? null : summary.error());
        }
    }
}
