package routes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import kafkascale.PipelineMetrics;
import kafkascale.census.ByteCountingInputStream;
import kafkascale.census.CensusSource;
import kafkascale.census.CensusStreams;
import kafkascale.census.Chunk;
import kafkascale.census.Chunker;
import kafkascale.census.SourcePlan;
import kafkascale.results.PipelineMessages;
import kafkascale.results.PipelineMessages.RunSummary;
import kafkascale.results.PipelineMessages.SourceStatus;
import kafkascale.results.PipelineMessages.SourceSummary;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reader's steps that hold state or logic: one source at a time, kept in an exchange property. */
public final class ReadSupport {

    static final String SOURCE = "kafkaScaleSource";
    static final String URL = "kafkaScaleUrl";
    static final String RUN_STARTED = "kafkaScaleRunStarted";

    /** Chunk headers carried to compute (as Kafka record headers). */
    public static final String H_SOURCE = "ks-source";
    public static final String H_SEQ = "ks-seq";
    public static final String H_YEAR = "ks-year";
    public static final String H_LAYOUT = "ks-layout";
    public static final String H_CHUNK_LINES = "ks-chunk-lines";
    public static final String H_READ_AT = "ks-read-at";

    private static final Logger LOG = LoggerFactory.getLogger(ReadSupport.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final Settings settings;
    private final PipelineMetrics metrics;
    private final List<CensusSource> configuredSources;

    public ReadSupport(Settings settings, PipelineMetrics metrics, List<CensusSource> configuredSources) {
        this.settings = settings;
        this.metrics = metrics;
        this.configuredSources = configuredSources;
    }

    /** The sources of this run. */
    public List<CensusSource> plan(Exchange exchange) {
        exchange.setProperty(RUN_STARTED, System.currentTimeMillis());
        LOG.info("Reading {} census source(s): {}", configuredSources.size(),
                configuredSources.stream().map(CensusSource::id).toList());
        return configuredSources;
    }

    public void beginSource(Exchange exchange) {
        CensusSource source = exchange.getMessage().getBody(CensusSource.class);
        exchange.setProperty(SOURCE, new SourceRead(source));
        exchange.getMessage().setBody(null);
    }

    public boolean isRemote(Exchange exchange) {
        return read(exchange).source.remote();
    }

    /** Loop condition of the download: true while there is another URL to try. Prepares the GET. */
    public boolean nextLocation(Exchange exchange) {
        SourceRead read = read(exchange);
        if (read.body != null || read.nextLocation >= read.source.locations().size()) {
            return false;
        }
        String url = read.source.locations().get(read.nextLocation++);
        exchange.setProperty(URL, url);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        return true;
    }

    /** Takes the HTTP answer: 200 opens the source, 404 moves on to the next template, others fail. */
    public void onResponse(Exchange exchange) throws IOException {
        SourceRead read = read(exchange);
        String url = exchange.getProperty(URL, String.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (status == 200 && body != null) {
            read.open(url, fileName(url), body);
            return;
        }
        IOHelper.close(body);
        read.lastMiss = "HTTP " + status + " from " + url;
        if (status != 404) {
            throw new CensusStreams.SourceFailure("http-" + status, read.lastMiss);
        }
        LOG.info("{}: not at {} (HTTP 404)", read.source.id(), url);
    }

    public void openLocal(Exchange exchange) throws IOException {
        SourceRead read = read(exchange);
        String location = read.source.locations().get(0);
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (!Files.isRegularFile(path)) {
            read.lastMiss = "no such file " + path;
            return;
        }
        read.open(path.toString(), path.getFileName().toString(), Files.newInputStream(path));
    }

    public boolean found(Exchange exchange) {
        return read(exchange).body != null;
    }

    /** Splits the opened source into batches of chunk messages, each batch one Kafka send. */
    public Iterator<List<Message>> chunkBatches(Exchange exchange) throws IOException {
        SourceRead read = read(exchange);
        metrics.downloadedFile();
        InputStream records = CensusStreams.open(read.body, read.fileName,
                Long.parseLong(settings.text("read.max-uncompressed-bytes")));
        int chunkLines = settings.number("read.chunk-lines");
        read.chunker = new Chunker(records, chunkLines, read.fileName, read.source.year(),
                settings.number("read.max-line-chars"));
        read.started = System.nanoTime();
        read.lastLog = read.started;
        int batchChunks = Math.max(1, settings.number("read.batch-chunks"));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.chunker.hasNext();
            }

            @Override
            public List<Message> next() {
                List<Message> batch = new ArrayList<>(batchChunks);
                long recordsBefore = read.chunker.records();
                while (batch.size() < batchChunks && read.chunker.hasNext()) {
                    batch.add(chunkMessage(exchange, read, read.chunker.next(), chunkLines));
                }
                metrics.chunksWritten(batch.size());
                metrics.recordsRead(read.chunker.records() - recordsBefore);
                logProgress(read, false);
                return batch;
            }
        };
    }

    private Message chunkMessage(Exchange exchange, SourceRead read, Chunk chunk, int chunkLines) {
        Message m = new DefaultMessage(exchange.getContext());
        m.setHeader(KafkaConstants.KEY, PipelineMessages.chunkKey(read.source.id(), chunkLines, chunk.seq()));
        m.setHeader(H_SOURCE, read.source.id());
        m.setHeader(H_SEQ, Long.toString(chunk.seq()));
        m.setHeader(H_YEAR, Integer.toString(chunk.year()));
        m.setHeader(H_LAYOUT, chunk.layout().describe());
        m.setHeader(H_CHUNK_LINES, Integer.toString(chunkLines));
        m.setHeader(H_READ_AT, Long.toString(System.currentTimeMillis()));
        m.setBody(chunk.text());
        return m;
    }

    /** After the last batch: the whole source was read. An empty one is an error, not a month. */
    public void sourceRead(Exchange exchange) throws CensusStreams.SourceFailure {
        SourceRead read = read(exchange);
        long overlong = read.chunker.overlongLines();
        if (overlong > 0) {
            metrics.recordsRejected(kafkascale.census.RejectReason.OVERLONG_LINE.tag(), overlong);
            LOG.warn("{}: skipped {} line(s) longer than {} characters (rejected: overlong-line)", read.source.id(),
                    overlong, settings.number("read.max-line-chars"));
        }
        if (read.chunker.records() == 0) {
            throw new CensusStreams.SourceFailure("empty", read.fileName + " holds no records");
        }
        read.status = SourceStatus.OK;
        logProgress(read, true);
    }

    public void sourceMissing(Exchange exchange) {
        SourceRead read = read(exchange);
        read.status = SourceStatus.MISSING;
        read.error = read.lastMiss;
        metrics.sourceError(read.source.remote() ? "http-404" : "no-such-file");
        LOG.warn("{}: census source missing at every location ({}); skipping it", read.source.id(), read.lastMiss);
    }

    public void sourceFailed(Exchange exchange) {
        SourceRead read = read(exchange);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = failure instanceof org.apache.camel.http.base.HttpOperationFailedException http
                ? "http-" + http.getStatusCode() : CensusStreams.reason(failure);
        read.status = SourceStatus.FAILED;
        read.error = reason + ": " + describe(failure);
        metrics.sourceError(reason);
        LOG.error("{}: reading {} failed ({}) after {} chunk(s), {} record(s); its counts are left out of /results, "
                        + "the other sources go on", read.source.id(),
                read.location != null ? read.location : read.source.locations(), read.error,
                read.chunker == null ? 0 : read.chunker.chunks(), read.chunker == null ? 0 : read.chunker.records());
    }

    /** The source's summary for the results topic; closes what was opened. */
    public void sourceSummary(Exchange exchange) {
        SourceRead read = read(exchange);
        IOHelper.close(read.body);
        if (read.counter != null) {
            metrics.bytesDownloaded(read.counter.count());
        }
        SourceSummary summary = new SourceSummary(read.source.id(),
                read.chunker == null ? read.source.year().orElse(0) : read.chunker.year(),
                settings.number("read.chunk-lines"), read.status,
                read.chunker == null ? 0 : read.chunker.chunks(), read.chunker == null ? 0 : read.chunker.records(),
                read.counter == null ? 0 : read.counter.count(), read.location, read.error, System.currentTimeMillis());
        toResultsMessage(exchange, summary);
    }

    /** The run's summary for the results topic, listing every source it covered. */
    public void runSummary(Exchange exchange) {
        long started = exchange.getProperty(RUN_STARTED, System.currentTimeMillis(), Long.class);
        RunSummary run = new RunSummary(UUID.randomUUID().toString(),
                configuredSources.stream().map(CensusSource::id).toList(), started, System.currentTimeMillis());
        toResultsMessage(exchange, run);
        LOG.info("Reader run {} finished: {} source(s) in {} s", run.runId(), run.sources().size(),
                (run.finishedAt() - started) / 1000.0);
    }

    private static void toResultsMessage(Exchange exchange, PipelineMessages.ResultsMessage message) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(KafkaConstants.KEY, message.key());
        out.setBody(PipelineMessages.toJson(message));
    }

    private void logProgress(SourceRead read, boolean last) {
        long now = System.nanoTime();
        if (!last && now - read.lastLog < PROGRESS_EVERY_NANOS) {
            return;
        }
        read.lastLog = now;
        double seconds = Math.max(1e-9, (now - read.started) / 1e9);
        long records = read.chunker.records();
        LOG.info("{}: {} {} bytes, {} records, {} chunks, {} records/s", read.source.id(), last ? "done," : "reading,",
                read.counter.count(), records, read.chunker.chunks(), Math.round(records / seconds));
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

    private static SourceRead read(Exchange exchange) {
        return exchange.getProperty(SOURCE, SourceRead.class);
    }

    /** What the reader knows about the source it is on. */
    static final class SourceRead {
        final CensusSource source;
        int nextLocation;
        String location;
        String fileName;
        String lastMiss;
        ByteCountingInputStream counter;
        InputStream body;
        Chunker chunker;
        SourceStatus status = SourceStatus.FAILED;
        String error;
        long started;
        long lastLog;

        SourceRead(CensusSource source) {
            this.source = source;
        }

        void open(String location, String fileName, InputStream raw) {
            this.location = location;
            this.fileName = fileName;
            this.counter = new ByteCountingInputStream(raw);
            this.body = counter;
        }
    }
}
