package kafkascale.read;

import java.io.InputStream;
import java.util.List;
import kafkascale.census.ByteCountingInputStream;
import kafkascale.census.CensusSource;
import kafkascale.census.Chunker;
import kafkascale.census.RecordDigest;
import kafkascale.census.SurveyMonth;
import kafkascale.results.RunFinished.SourceStatus;

/**
 * What the reader knows about the one source it is on: which location it tries, what it opened, how
 * far it got and how it ended. One per source and run; the read routes carry it in an exchange property.
 */
public final class SourceRead {

    final CensusSource source;
    int nextLocation;
    String location;
    String fileName;
    String lastMiss;
    ByteCountingInputStream counter;
    InputStream body;
    Chunker chunker;
    /** The stages that make batches ahead of the routes, while they run (see CensusReader#chunkBatches). */
    List<ReadAhead<?>> readAhead = List.of();
    /** SHA-256 of the records handed out, in order: the attempt's digest once the source is read whole. */
    final RecordDigest digest = new RecordDigest();
    /** Chunks and records handed to the routes to send (the chunker may be a few batches further). */
    long handedChunks;
    long handedRecords;
    SourceStatus status = SourceStatus.FAILED;
    String error;
    /** Set once the month is known and its attempt announced on the results topic. */
    SurveyMonth month;
    String attemptId;
    long started;
    long lastLog;

    SourceRead(CensusSource source) {
        this.source = source;
    }

    public CensusSource source() {
        return source;
    }

    /** Fetched over HTTP (else a local file). */
    public boolean isRemote() {
        return source.remote();
    }

    /** True once a location answered and its stream is open. */
    public boolean isFound() {
        return body != null;
    }

    /** True while nothing is open and a location is left to try. */
    public boolean wantsNextLocation() {
        return body == null && nextLocation < source.locations().size();
    }

    void open(String location, String fileName, InputStream raw) {
        this.location = location;
        this.fileName = fileName;
        this.counter = new ByteCountingInputStream(raw);
        this.body = counter;
    }

    long chunks() {
        return handedChunks;
    }

    long records() {
        return handedRecords;
    }

    long bytes() {
        return counter == null ? 0 : counter.count();
    }
}
