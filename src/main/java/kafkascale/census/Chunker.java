package kafkascale.census;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the records of one decompressed census file and cuts them into chunks of
 * {@code chunkLines} records, never holding more than one chunk in memory.
 *
 * <p>The first line decides the layout: a CSV header naming HEHOUSUT (any case) makes the rest CSV,
 * anything else is a fixed-width record. The year is the configured one, else HRYEAR4 of the first
 * record, else the two-digit year in a CPS file name such as {@code jan19pub.dat}.
 *
 * <p>It also tells which survey month the records are ({@link #surveyMonth()}) and digests every
 * record it hands out ({@link #digest()}), so the month's identity and content come from exactly the
 * records that are counted.
 */
public final class Chunker implements Iterator<Chunk> {

    private static final Pattern NAME_YEAR = Pattern.compile("[a-z]{3}(\\d{2})pub", Pattern.CASE_INSENSITIVE);

    private final BoundedLineReader lines;
    private final int chunkLines;
    private final String sourceName;
    private final OptionalInt configuredYear;

    private RecordLayout layout;
    private int year;
    private String csvHeader;
    private Optional<SurveyMonth> surveyMonth = Optional.empty();
    /** Null when the caller digests the chunks itself (on another thread: see {@link #Chunker(InputStream, int, String, OptionalInt, int, boolean)}). */
    private final RecordDigest digest;
    /** The next record, read ahead so {@link #hasNext()} knows; empty at the end of the input. */
    private final BoundedLineReader.LineBytes pending = new BoundedLineReader.LineBytes(1024);
    private final BoundedLineReader.LineBytes chunk = new BoundedLineReader.LineBytes(16 * 1024);
    private String firstRecord;
    private boolean hasPending;
    private boolean peeked;
    private boolean started;
    private boolean exhausted;
    private long chunks;
    private long records;

    /** Longest line kept by default: real records are 950-1000 characters. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;


    public Chunker(InputStream decompressed, int chunkLines, String sourceName, OptionalInt configuredYear) {
        this(decompressed, chunkLines, sourceName, configuredYear, DEFAULT_MAX_LINE);
    }

    /** @param maxLine a longer line is skipped (never held whole) and counted in {@link #overlongLines()} */
    public Chunker(InputStream decompressed, int chunkLines, String sourceName, OptionalInt configuredYear, int maxLine) {
        this(decompressed, chunkLines, sourceName, configuredYear, maxLine, true);
    }

    /**
     * @param digest whether {@link #digest()} is kept here; false when the caller digests the chunks it is
     *               handed ({@link RecordDigest#addRecords(byte[], int)} over each chunk's bytes, in order,
     *               gives the same digest) on a thread of its own
     */
    public Chunker(InputStream decompressed, int chunkLines, String sourceName, OptionalInt configuredYear, int maxLine,
                   boolean digest) {
        this.digest = digest ? new RecordDigest() : null;
        if (chunkLines < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 line, was " + chunkLines);
        }
        this.lines = new BoundedLineReader(decompressed, maxLine);
        this.chunkLines = chunkLines;
        this.sourceName = sourceName;
        this.configuredYear = configuredYear;
    }

    /** Lines longer than the limit, skipped: no census record is that long. */
    public long overlongLines() {
        return lines.overlongLines();
    }

    @Override
    public boolean hasNext() {
        if (!started) {
            start();
        }
        return hasPending;
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        // the records' bytes are copied once into the chunk; the digest takes the chunk in one update
        chunk.clear();
        int n = 0;
        while (hasPending && n < chunkLines) {
            if (n > 0) {
                chunk.append((byte) '\n');
            }
            chunk.append(pending);
            n++;
            readAhead();
        }
        records += n;
        byte[] bytes = chunk.toByteArray();
        if (digest != null) {
            digest.addRecords(bytes, n);
        }
        return new Chunk(chunks++, bytes, n, layout, year);
    }

    /** Chunks handed out so far. */
    public long chunks() {
        return chunks;
    }

    /** Records handed out so far. */
    public long records() {
        return records;
    }

    /** True once every record of the input has been handed out. */
    public boolean exhausted() {
        return exhausted;
    }

    public RecordLayout layout() {
        return layout;
    }

    public int year() {
        return year;
    }

    /**
     * The survey month of the records: HRYEAR4 and HRMONTH of the first record, else the
     * {@code mmmYYpub} of the file name; empty when neither tells (the source is then unusable).
     */
    public Optional<SurveyMonth> surveyMonth() {
        peek();
        return surveyMonth;
    }

    /** True when the input holds at least one record (reads only the header and the first record). */
    public boolean hasRecords() {
        peek();
        return hasPending;
    }

    /** SHA-256 of the records handed out so far (see {@link RecordDigest}); the month's digest once {@link #exhausted()}. */
    public String digest() {
        if (digest == null) {
            throw new IllegalStateException("this chunker was made without its own digest");
        }
        return digest.hex();
    }

    private void start() {
        peek();
        started = true;
        year = resolveYear(firstRecord);
    }

    /** Reads the header (if CSV) and the first record: enough to know the layout and the month. */
    private void peek() {
        if (peeked) {
            return;
        }
        peeked = true;
        String first = nextRecord();
        Optional<RecordLayout> csv = first == null ? Optional.empty() : RecordLayout.fromCsvHeader(first);
        if (csv.isPresent()) {
            layout = csv.get();
            csvHeader = first;
            first = nextRecord();
        } else {
            layout = RecordLayout.FIXED_WIDTH;
        }
        firstRecord = first;
        hasPending = first != null;
        if (hasPending) {
            byte[] bytes = first.getBytes(StandardCharsets.ISO_8859_1);
            pending.append(bytes, 0, bytes.length);
        }
        surveyMonth = SurveyMonth.identify(csvHeader, first, sourceName);
    }

    private int resolveYear(String firstRecord) {
        if (configuredYear.isPresent()) {
            return configuredYear.getAsInt();
        }
        Optional<Integer> fromRecord = firstRecord == null ? Optional.empty() : layout.year(firstRecord);
        if (fromRecord.isPresent()) {
            return fromRecord.get();
        }
        OptionalInt fromName = yearFromName(sourceName);
        if (fromName.isPresent()) {
            return fromName.getAsInt();
        }
        if (firstRecord == null) {
            return 0; // an empty file: nothing will be counted under any year
        }
        throw new IllegalStateException("cannot tell the survey year of " + sourceName
                + ": the first record has no HRYEAR4 and the name holds no 'mmmYYpub'");
    }

    /** The year of a CPS file name like {@code jan19pub.dat.gz} (94..99 are 1990s). */
    public static OptionalInt yearFromName(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        Matcher m = NAME_YEAR.matcher(name);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int yy = Integer.parseInt(m.group(1));
        return OptionalInt.of(yy >= 94 ? 1900 + yy : 2000 + yy);
    }

    /** The next non-empty line of at most maxLine characters as text, or null at the end of input. */
    private String nextRecord() {
        try {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && line.isEmpty());
            if (line == null) {
                exhausted = true;
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next non-empty line into {@link #pending}, or notes the end of the input. */
    private void readAhead() {
        try {
            pending.clear();
            int length;
            do {
                length = lines.readLine(pending);
            } while (length == 0);
            hasPending = length != BoundedLineReader.END;
            exhausted = !hasPending;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
