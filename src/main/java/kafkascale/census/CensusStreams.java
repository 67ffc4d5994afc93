package kafkascale.census;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens the records inside a census file as a stream, by its name: {@code .gz} is gunzipped (several
 * gzip members in a row are read as one stream), {@code .zip} must hold exactly one file, anything
 * else is read as it is. Nothing is buffered beyond a read buffer, so a month is never held whole.
 *
 * <p>Why not camel-zipfile: its iterator copies each entry into a cached stream before handing it
 * on, which would hold a 140 MB month in memory (or spool it to disk) before the first chunk is sent
 * (its {@code ZipIterator} copies each entry into a {@code CachedOutputStream}; read in the 4.18.0 sources).
 */
public final class CensusStreams {

    private CensusStreams() {
    }

    public static InputStream open(InputStream raw, String name) throws IOException {
        return open(raw, name, Long.MAX_VALUE);
    }

    /** As {@link #open(InputStream, String)}, failing with reason {@code too-large} past {@code maxBytes} unpacked (a decompression bomb). */
    public static InputStream open(InputStream raw, String name, long maxBytes) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        InputStream unpacked;
        if (lower.endsWith(".gz")) {
            unpacked = new GZIPInputStream(raw, 1 << 16);
        } else if (lower.endsWith(".zip")) {
            unpacked = singleEntry(new ZipInputStream(raw), name);
        } else {
            unpacked = raw;
        }
        return maxBytes == Long.MAX_VALUE ? unpacked : limited(unpacked, name, maxBytes);
    }

    private static InputStream limited(InputStream in, String name, long maxBytes) {
        return new FilterInputStream(in) {
            private long total;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(long n) throws SourceFailure {
                total += n;
                if (total > maxBytes) {
                    throw new SourceFailure(SourceError.TOO_LARGE, name + " unpacks to more than " + maxBytes
                            + " bytes (MAX_UNCOMPRESSED_BYTES); reading stopped");
                }
            }
        };
    }

    private static InputStream singleEntry(ZipInputStream zip, String name) throws IOException {
        ZipEntry entry = nextFile(zip);
        if (entry == null) {
            throw new SourceFailure(SourceError.ZIP_ENTRIES, name + " holds no file");
        }
        String first = entry.getName();
        return new FilterInputStream(zip) {
            private boolean checked;

            @Override
            public int read() throws IOException {
                int b = super.read();
                return b < 0 ? endOfEntry() : b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                return n < 0 ? endOfEntry() : n;
            }

            private int endOfEntry() throws IOException {
                if (!checked) {
                    checked = true;
                    ZipEntry second = nextFile(zip);
                    if (second != null) {
                        throw new SourceFailure(SourceError.ZIP_ENTRIES, name + " holds more than one file ("
                                + first + ", " + second.getName() + "); expected one month");
                    }
                }
                return -1;
            }
        };
    }

    private static ZipEntry nextFile(ZipInputStream zip) throws IOException {
        ZipEntry entry;
        do {
            entry = zip.getNextEntry();
        } while (entry != null && entry.isDirectory());
        return entry;
    }
}
