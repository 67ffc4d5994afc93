package kafkascale.census;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

/**
 * Why a census source could not be read: the one list of reasons, named by the tag that appears in
 * logs, in /progress and as the {@code reason} of the download-errors metric. HTTP statuses other than
 * those listed are reported as {@code http-<status>} ({@link #httpTag(int)}).
 */
public enum SourceError {
    /** No location had the source (HTTP 404 at every URL template). */
    HTTP_NOT_FOUND("http-404"),
    /** The server answered 500 after the retries. */
    HTTP_SERVER_ERROR("http-500"),
    /** No such local file. */
    NO_SUCH_FILE("no-such-file"),
    /** The gzip or zip stream ended early. */
    TRUNCATED("truncated"),
    /** A .gz name whose content is not gzip. */
    NOT_GZIP("not-gzip"),
    /** A damaged gzip or zip stream. */
    CORRUPT_ARCHIVE("corrupt-archive"),
    /** A zip holding no file or more than one. */
    ZIP_ENTRIES("zip-entries"),
    /** Unpacks to more than MAX_UNCOMPRESSED_BYTES: a decompression bomb. */
    TOO_LARGE("too-large"),
    /** A file without a single record. */
    EMPTY("empty"),
    /** The survey month cannot be told from the records or the name. */
    UNKNOWN_MONTH("unknown-month"),
    CONNECTION_REFUSED("connection-refused"),
    READ_TIMEOUT("read-timeout"),
    UNKNOWN_HOST("unknown-host"),
    /** Anything else (the log line has the details). */
    ERROR("error");

    private final String tag;

    SourceError(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The tag of an HTTP status that failed a download. */
    public static String httpTag(int status) {
        return "http-" + status;
    }

    /** The reason tag of a failure, from the first cause that names one. */
    public static String tagOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceFailure f) {
                return f.reason();
            }
            if (t instanceof ZipException z) {
                return String.valueOf(z.getMessage()).contains("Not in GZIP format") ? NOT_GZIP.tag : CORRUPT_ARCHIVE.tag;
            }
            if (t instanceof EOFException) {
                return TRUNCATED.tag;
            }
            if (t instanceof ConnectException) {
                return CONNECTION_REFUSED.tag;
            }
            if (t instanceof SocketTimeoutException) {
                return READ_TIMEOUT.tag;
            }
            if (t instanceof UnknownHostException) {
                return UNKNOWN_HOST.tag;
            }
            if (t instanceof NoSuchFileException) {
                return NO_SUCH_FILE.tag;
            }
        }
        return ERROR.tag;
    }
}
