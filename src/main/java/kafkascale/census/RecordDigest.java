package kafkascale.census;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * SHA-256 over a month's records as the {@link Chunker} hands them out: each record's characters
 * (ISO-8859-1, one byte each) without its line end, then {@code '\n'}. Empty lines and a CSV header
 * are not records, so are not digested. The packing (.dat.gz, .zip, .dat), the transport (HTTP or a
 * local copy), the line ends (CRLF or LF) and the chunk size do not change it: equal digests mean the
 * same records, which is how a re-read is told "unchanged" from "corrected".
 *
 * <p>For a plain LF-ended file with no empty lines this is exactly {@code sha256sum} of the file.
 * Streaming: memory does not grow with the month. Not thread-safe (one reader per month).
 */
public final class RecordDigest {

    private static final int HEX_LENGTH = 64;

    private final MessageDigest sha256;
    private long records;

    public RecordDigest() {
        sha256 = Sha256.newDigest();
    }

    /** Adds one record (no line end in it). */
    public void addRecord(String record) {
        sha256.update(record.getBytes(StandardCharsets.ISO_8859_1));
        sha256.update((byte) '\n');
        records++;
    }

    /**
     * Adds {@code count} records joined by {@code '\n'} ({@link Chunk#bytes()}), the same as adding
     * each record: one update for the whole run instead of two per record.
     */
    public void addRecords(byte[] joined, int count) {
        sha256.update(joined);
        sha256.update((byte) '\n');
        records += count;
    }

    /** Records digested so far. */
    public long records() {
        return records;
    }

    /** The digest of the records so far, 64 lowercase hex digits; adding more afterwards is fine. */
    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 implementation cannot be copied", e);
        }
    }

    /** True for what {@link #hex()} returns: 64 lowercase hex digits. */
    public static boolean isDigest(String text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
