package kafkascale.read;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kafkascale.PipelineMetrics;
import kafkascale.census.CensusSource;
import kafkascale.census.CensusStreams;
import kafkascale.census.Chunk;
import kafkascale.census.Chunker;
import kafkascale.census.RejectReason;
import kafkascale.census.Sha256;
import kafkascale.census.SourceError;
import kafkascale.census.SourceFailure;
import kafkascale.kafka.ChunkKey;
import kafkascale.kafka.KafkaRecord;
import kafkascale.kafka.PipelineHeaders;
import kafkascale.census.SurveyMonth;
import kafkascale.results.AttemptFinished;
import kafkascale.results.AttemptStarted;
import kafkascale.results.ResultsMessage;
import kafkascale.results.RunFinished;
import kafkascale.results.RunFinished.SourceOutcome;
import kafkascale.results.RunFinished.SourceStatus;
import kafkascale.results.RunStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read role's work, one source at a time: where to fetch it, what an HTTP answer means, how the
 * opened stream becomes batches of chunk records for the compute topic, and the summaries the results
 * role needs to tell a whole month from a broken one. The read routes decide the order of the steps.
 */
public final class CensusReader {

    private static final Logger LOG = LoggerFactory.getLogger(CensusReader.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    /**
     * How the reader cuts and bounds what it reads (the read.* settings).
     *
     * @param aheadBatches batches made ahead of the one being sent (0: none, read and send take turns)
     */
    public record Limits(int chunkLines, int batchChunks, int aheadBatches, int maxLineChars, long maxUncompressedBytes) {
        public Limits {
            if (chunkLines < 1) {
                throw new IllegalArgumentException("CHUNK_LINES must be at least 1, was " + chunkLines);
            }
            batchChunks = Math.max(1, batchChunks);
        }
    }

    private final List<CensusSource> sources;
    private final Limits limits;
    private final PipelineMetrics metrics;
    private final boolean exitWhenDone;
    private String runId;
    private long runStarted;
    private List<SourceRead> reads = List.of();

    /** @param exitWhenDone whether the JVM ends once the run is read (the read role), or keeps serving (`all`) */
    public CensusReader(List<CensusSource> sources, Limits limits, PipelineMetrics metrics, boolean exitWhenDone) {
        this.sources = List.copyOf(sources);
        this.limits = limits;
        this.metrics = metrics;
        this.exitWhenDone = exitWhenDone;
        Sha256.loadInBackground(); // while Camel starts, not in the first run
    }

    public boolean exitsWhenDone() {
        return exitWhenDone;
    }

    /** Starts a run: one fresh {@link SourceRead} per configured source, and the run's announcement. */
    public RunStarted startRun() {
        runId = UUID.randomUUID().toString();
        runStarted = System.currentTimeMillis();
        reads = sources.stream().map(SourceRead::new).toList();
        LOG.info("Reader run {}: {} census source(s): {}", runId, sources.size(),
                sources.stream().map(CensusSource::id).toList());
        return new RunStarted(runId, sources.stream().map(CensusSource::id).toList(), runStarted);
    }

    /** The run's sources, in order (after {@link #startRun()}). */
    public List<SourceRead> sources() {
        return reads;
    }

    /** The next URL to try for a remote source (the caller checked {@link SourceRead#wantsNextLocation()}). */
    public String takeNextLocation(SourceRead read) {
        return read.source.locations().get(read.nextLocation++);
    }

    /** An HTTP answer: 200 opens the source, 404 moves on to the next URL template, others fail it. */
    public void onResponse(SourceRead read, String url, int status, InputStream body) throws IOException {
        if (status == 200 && body != null) {
            read.open(url, fileName(url), body);
            return;
        }
        if (body != null) {
            body.close();
        }
        read.lastMiss = "HTTP " + status + " from " + url;
        if (status != 404) {
            throw new SourceFailure(SourceError.httpTag(status), read.lastMiss);
        }
        LOG.info("{}: not at {} (HTTP 404)", read.source.id(), url);
    }

    public void openLocal(SourceRead read) throws IOException {
        String location = read.source.locations().get(0);
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (!Files.isRegularFile(path)) {
            read.lastMiss = "no such file " + path;
            return;
        }
        read.open(path.toString(), path.getFileName().toString(), Files.newInputStream(path));
    }

    /**
     * Unpacks the opened source, reads its first record to tell the survey month (HRYEAR4 and HRMONTH,
     * else the file name) and announces this read as an attempt at that month. The routes send the
     * announcement, and wait for its acknowledgement, before the month's first chunk.
     */
    public AttemptStarted startAttempt(SourceRead read) throws IOException {
        metrics.downloadedFile();
        InputStream records = CensusStreams.open(read.body, read.fileName, limits.maxUncompressedBytes());
        read.chunker = new Chunker(records, limits.chunkLines(), read.fileName, read.source.year(), limits.maxLineChars(),
                false);
        if (!read.chunker.hasRecords()) {
            throw new SourceFailure(SourceError.EMPTY, read.fileName + " holds no records");
        }
        read.month = read.chunker.surveyMonth().orElseThrow(() -> new SourceFailure(SourceError.UNKNOWN_MONTH,
                read.fileName + ": the first record has no HRYEAR4/HRMONTH and the name holds no 'mmmYYpub'"));
        read.attemptId = UUID.randomUUID().toString();
        read.started = System.nanoTime();
        read.lastLog = read.started;
        LOG.info("{}: survey month {}, attempt {}", read.source.id(), read.month, read.attemptId);
        return new AttemptStarted(read.attemptId, runId, read.month.toString(), read.source.id(), limits.chunkLines(),
                System.currentTimeMillis());
    }

    /**
     * Cuts the started attempt into batches of chunk records, one Kafka send each. With
     * {@code read.ahead-batches} above 0 this is a pipeline of three threads, each at most that many
     * batches ahead of the next: one inflates and cuts, one digests (SHA-256 of the records, the month's
     * identity), and the routes' thread sends and waits for the acknowledgements. Measured: cutting,
     * digesting and sending in turn on one thread left the reader the slowest part of a run.
     */
    public Iterator<List<KafkaRecord>> chunkBatches(SourceRead read) {
        Iterator<ChunkBatch> cut = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.chunker.hasNext();
            }

            @Override
            public ChunkBatch next() {
                List<Chunk> chunks = new ArrayList<>(limits.batchChunks());
                List<KafkaRecord> records = new ArrayList<>(limits.batchChunks());
                while (chunks.size() < limits.batchChunks() && read.chunker.hasNext()) {
                    Chunk chunk = read.chunker.next();
                    chunks.add(chunk);
                    records.add(chunkRecord(read, chunk));
                }
                return new ChunkBatch(chunks, records);
            }
        };
        if (limits.aheadBatches() < 1) {
            return handedOut(read, digested(read, cut));
        }
        ReadAhead<ChunkBatch> cutAhead = new ReadAhead<>(cut, limits.aheadBatches(), "read-cut " + read.fileName);
        ReadAhead<ChunkBatch> digestAhead = new ReadAhead<>(digested(read, cutAhead), limits.aheadBatches(),
                "read-digest " + read.fileName);
        read.readAhead = List.of(cutAhead, digestAhead);
        return handedOut(read, digestAhead);
    }

    /** Adds each batch's records to the attempt's digest, in order, as the batches pass. */
    private static Iterator<ChunkBatch> digested(SourceRead read, Iterator<ChunkBatch> batches) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public ChunkBatch next() {
                ChunkBatch batch = batches.next();
                for (Chunk chunk : batch.chunks()) {
                    read.digest.addRecords(chunk.bytes(), chunk.records());
                }
                return batch;
            }
        };
    }

    /** Counts what is handed to the routes (not what was read ahead of them) for metrics and the attempt's end. */
    private Iterator<List<KafkaRecord>> handedOut(SourceRead read, Iterator<ChunkBatch> batches) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public List<KafkaRecord> next() {
                ChunkBatch batch = batches.next();
                long records = batch.records();
                read.handedChunks += batch.chunks().size();
                read.handedRecords += records;
                metrics.chunksWritten(batch.chunks().size());
                metrics.recordsRead(records);
                logProgress(read, false);
                return batch.kafkaRecords();
            }
        };
    }

    /** One Kafka send: the chunks and their records for the compute topic. */
    private record ChunkBatch(List<Chunk> chunks, List<KafkaRecord> kafkaRecords) {
        long records() {
            long records = 0;
            for (Chunk chunk : chunks) {
                records += chunk.records();
            }
            return records;
        }
    }

    private KafkaRecord chunkRecord(SourceRead read, Chunk chunk) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PipelineHeaders.LAYOUT, chunk.layout().describe());
        headers.put(PipelineHeaders.CHUNK_LINES, Integer.toString(limits.chunkLines()));
        headers.put(PipelineHeaders.READ_AT, Long.toString(System.currentTimeMillis()));
        return KafkaRecord.outgoing(new ChunkKey(read.month.toString(), read.attemptId, chunk.seq()).toString(),
                headers, chunk.bytes());
    }

    /** After the last batch: the whole source was read. An empty one is an error, not a month. */
    public void sourceRead(SourceRead read) throws SourceFailure {
        long overlong = read.chunker.overlongLines();
        if (overlong > 0) {
            metrics.recordsRejected(RejectReason.OVERLONG_LINE.tag(), overlong);
            LOG.warn("{}: skipped {} line(s) longer than {} characters (rejected: overlong-line)", read.source.id(),
                    overlong, limits.maxLineChars());
        }
        read.status = SourceStatus.OK;
        logProgress(read, true);
    }

    /** No location had the source. */
    public void missing(SourceRead read) {
        read.status = SourceStatus.MISSING;
        read.error = read.lastMiss;
        metrics.sourceError(read.source.remote() ? SourceError.HTTP_NOT_FOUND.tag() : SourceError.NO_SUCH_FILE.tag());
        LOG.warn("{}: census source missing at every location ({}); skipping it", read.source.id(), read.lastMiss);
    }

    /** Reading broke off: named in the log and the metric, left out of /results; the other sources go on. */
    public void failed(SourceRead read, Exception failure) {
        failed(read, SourceError.tagOf(failure), failure);
    }

    /** The HTTP client gave up on a status outside 200-299 and 404 (after its retries). */
    public void httpFailed(SourceRead read, int status, Exception failure) {
        failed(read, SourceError.httpTag(status), failure);
    }

    private void failed(SourceRead read, String reason, Exception failure) {
        read.status = SourceStatus.FAILED;
        read.error = reason + ": " + describe(failure);
        metrics.sourceError(reason);
        LOG.error("{}: reading {} failed ({}) after {} chunk(s), {} record(s); its counts are left out of /results, "
                        + "the other sources go on", read.source.id(),
                read.location != null ? read.location : read.source.locations(), read.error, read.chunks(), read.records());
    }

    /**
     * The attempt's end for the results topic (null when no attempt was started: the source failed
     * before its month was known, and only the run's summary names it); closes what was opened.
     */
    public AttemptFinished finishSource(SourceRead read) throws IOException {
        read.readAhead.forEach(ReadAhead::close);
        if (read.body != null) {
            read.body.close();
        }
        metrics.bytesDownloaded(read.bytes());
        if (read.attemptId == null) {
            return null;
        }
        boolean whole = read.status == SourceStatus.OK;
        return new AttemptFinished(read.attemptId, runId, read.month.toString(),
                whole ? AttemptFinished.Status.OK : AttemptFinished.Status.FAILED, read.chunks(), read.records(),
                whole ? read.digest.hex() : null, read.bytes(), read.location, read.error, System.currentTimeMillis());
    }

    /** The run's end for the results topic: every source's outcome. Logs a one-line summary. */
    public RunFinished finishRun() {
        List<SourceOutcome> outcomes = reads.stream().map(r -> new SourceOutcome(r.source.id(), r.status,
                r.month == null ? null : r.month.toString(), r.attemptId, r.error)).toList();
        RunFinished run = new RunFinished(runId, outcomes, runStarted, System.currentTimeMillis());
        long failed = outcomes.stream().filter(o -> o.status() != SourceStatus.OK).count();
        String summary = outcomes.stream().map(o -> o.source() + (o.month() == null ? "" : " (" + o.month() + ")") + " "
                + o.status().name().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.joining(", "));
        if (failed == 0) {
            LOG.info("Reader run {} read all {} source(s) in {} s: {}", runId, outcomes.size(),
                    (run.finishedAt() - runStarted) / 1000.0, summary);
        } else {
            LOG.error("Reader run {}: {} of {} source(s) failed or missing: {}", runId, failed, outcomes.size(), summary);
        }
        return run;
    }

    /** The read role's exit status: non-zero when any source of the run failed or was missing. */
    public int exitCode() {
        return reads.stream().allMatch(r -> r.status == SourceStatus.OK) ? 0 : 1;
    }

    /** A results-topic message as written: JSON. */
    public String json(ResultsMessage message) {
        return ResultsMessage.toJson(message);
    }

    private void logProgress(SourceRead read, boolean last) {
        long now = System.nanoTime();
        if (!last && now - read.lastLog < PROGRESS_EVERY_NANOS) {
            return;
        }
        read.lastLog = now;
        double seconds = Math.max(1e-9, (now - read.started) / 1e9);
        long records = read.records();
        LOG.info("{}: {} {} bytes, {} records, {} chunks, {} records/s", read.source.id(), last ? "done," : "reading,",
                read.bytes(), records, read.chunks(), Math.round(records / seconds));
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String fileName(String url) {
        String path = URI.create(url).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
