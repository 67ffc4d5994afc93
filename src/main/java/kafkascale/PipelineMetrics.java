package kafkascale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import kafkascale.census.RejectReason;
import kafkascale.census.SourceError;
import java.util.function.Supplier;

/**
 * The pipeline's own meters. The first five keep the Go original's names so its dashboards carry
 * over (Prometheus adds {@code _total}); the rest say what a user of the pipeline needs to know.
 */
public final class PipelineMetrics {

    private final Supplier<MeterRegistry> registrySource;
    private volatile MeterRegistry registry;
    /**
     * Meters once found, by name and tag: compute and results increment several per chunk, and a
     * builder's register() makes and hashes a new meter id on every call.
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile Timer computeTimer;
    private volatile Timer latencyTimer;

    /** @param registrySource finds the registry the app exports (it may exist only once Camel has started) */
    public PipelineMetrics(Supplier<MeterRegistry> registrySource) {
        this.registrySource = registrySource;
    }

    public MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry found = registrySource.get();
                    registry = found == null ? new SimpleMeterRegistry() : found;
                }
                r = registry;
            }
        }
        return r;
    }

    /** Registers every meter at zero and marks the role, so dashboards and alerts find them all from the start. */
    public void registerAll(Role role) {
        Gauge.builder("kafka_scale_role", () -> 1).description("The role this JVM plays (value always 1)")
                .tag("role", role.name().toLowerCase(Locale.ROOT)).register(registry());
        downloadedFile(0);
        chunksWritten(0);
        computeMessagesRead(0);
        resultMessagesWritten(0);
        resultMessagesRead(0);
        bytesDownloaded(0);
        recordsRead(0);
        resultsServed(0);
        for (RejectReason reason : RejectReason.values()) {
            recordsRejected(reason.tag(), 0);
        }
        for (SourceError reason : SourceError.values()) { // other HTTP statuses appear when they first happen
            sourceErrors(reason.tag(), 0);
        }
        malformedMessages("compute", 0);
        malformedMessages("results", 0);
        offsetCommitFailures(0);
        for (String outcome : List.of("counted", "duplicate")) {
            chunksCounted(outcome, 0);
        }
        computeTimer();
        latencyTimer();
    }

    public void downloadedFile() {
        downloadedFile(1);
    }

    private void downloadedFile(long n) {
        counter("kafka_scale_downloaded_gzips", "Census files fetched and opened").increment(n);
    }

    public void chunksWritten(long n) {
        counter("kafka_scale_chunks_written", "Chunks the reader wrote to the compute topic").increment(n);
    }

    public void computeMessagesRead(long n) {
        counter("kafka_scale_compute_messages_read", "Chunks compute read from the compute topic").increment(n);
    }

    public void resultMessagesWritten(long n) {
        counter("kafka_scale_result_messages_written", "Chunk results compute wrote to the results topic").increment(n);
    }

    public void resultMessagesRead(long n) {
        counter("kafka_scale_result_messages_read", "Results-topic messages the results role read (each chunk of a batch of chunk results counts one)").increment(n);
    }

    public void bytesDownloaded(long n) {
        counter("kafka_scale_downloaded_bytes", "Compressed bytes read from census sources").increment(n);
    }

    public void recordsRead(long n) {
        counter("kafka_scale_records_read", "Census records the reader put into chunks").increment(n);
    }

    public void recordsRejected(String reason, long n) {
        counter("kafka_scale_records_rejected", "Records compute could not count, by reason", "reason", reason).increment(n);
    }

    public void sourceError(String reason) {
        sourceErrors(reason, 1);
    }

    private void sourceErrors(String reason, long n) {
        counter("kafka_scale_download_errors", "Census sources that failed, by reason", "reason", reason).increment(n);
    }

    public void malformedMessage(String topic) {
        malformedMessages(topic, 1);
    }

    private void malformedMessages(String topic, long n) {
        counter("kafka_scale_malformed_messages", "Messages that could not be read, by topic", "topic", topic).increment(n);
    }

    /** Compute's offset commits that Kafka refused (its chunks since the last good commit may be read again). */
    public void offsetCommitFailed() {
        offsetCommitFailures(1);
    }

    private void offsetCommitFailures(long n) {
        counter("kafka_scale_offset_commit_failures", "Compute offset commits Kafka refused (the chunks are read again, counted once)")
                .increment(n);
    }

    public void chunksCounted(String outcome, long n) {
        counter("kafka_scale_result_chunks", "Chunk results applied by the results role, by outcome", "outcome", outcome)
                .increment(n);
    }

    public void resultsServed() {
        resultsServed(1);
    }

    private void resultsServed(long n) {
        counter("kafka_scale_results_served", "Responses served by /results").increment(n);
    }

    public void computeTime(Duration perChunk) {
        computeTimer().record(perChunk);
    }

    public void endToEndLatency(Duration readToCounted) {
        latencyTimer().record(readToCounted);
    }

    private Timer computeTimer() {
        Timer timer = computeTimer;
        if (timer == null) {
            computeTimer = timer = newComputeTimer();
        }
        return timer;
    }

    private Timer latencyTimer() {
        Timer timer = latencyTimer;
        if (timer == null) {
            latencyTimer = timer = newLatencyTimer();
        }
        return timer;
    }

    private Timer newComputeTimer() {
        return Timer.builder("kafka_scale_compute_chunk_seconds").description("Time to count one chunk")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry());
    }

    private Timer newLatencyTimer() {
        return Timer.builder("kafka_scale_chunk_latency_seconds")
                .description("From the reader writing a chunk to its result being counted")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry());
    }

    private Counter counter(String name, String description) {
        return counters.computeIfAbsent(name, k -> Counter.builder(name).description(description).register(registry()));
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + tag + '=' + value,
                k -> Counter.builder(name).description(description).tag(tag, value).register(registry()));
    }
}
