package kafkascale.results;

/**
 * A results-topic message the {@link ResultsLedger} refuses: unreadable, out of bounds, or about an
 * attempt or run it never saw start. Nothing in the ledger changed. The route sends the message to the
 * results dead-letter topic with {@link #reason()} and goes on with the next one, so one bad message
 * never stops a replay.
 */
public final class PoisonMessage extends IllegalArgumentException {

    /** Why a message was refused; the tag is a metric label and a dead-letter header, so the set is fixed. */
    public enum Reason {
        /** Not JSON, an unknown {@code type}, a field of the wrong kind. */
        UNREADABLE("unreadable"),
        /** A field the message cannot do without is absent. */
        MISSING_FIELD("missing-field"),
        /** An id, source, location or list longer than the ledger keeps. */
        TOO_LONG("too-long"),
        /** An id with characters other than letters, digits, '.', '_', '-' or ':'. */
        BAD_ID("bad-id"),
        /** Not a month 1994-01..2999-12 written as {@code yyyy-MM}. */
        BAD_MONTH("bad-month"),
        /** A time before 1970 or after the year 3000. */
        BAD_TIME("bad-time"),
        /** A chunk size outside 1..100000 or not the one the attempt started with. */
        BAD_CHUNK_LINES("bad-chunk-lines"),
        /** A chunk position that no month of at most the maximum records can have, or past the attempt's last chunk. */
        BAD_SEQ("bad-seq"),
        /** Records, chunks or bytes out of bounds, or chunks and records that do not fit the chunk size. */
        BAD_RECORDS("bad-records"),
        /** A count for a HEHOUSUT code outside 0..12. */
        UNKNOWN_CODE("unknown-code"),
        /** A negative count, or a count larger than the chunk. */
        BAD_COUNT("bad-count"),
        /** A rejected-record tag that is no {@link kafkascale.census.RejectReason}. */
        UNKNOWN_REJECT_REASON("unknown-reject-reason"),
        /** Counted plus rejected records differ from the chunk's records. */
        SUMS_MISMATCH("sums-mismatch"),
        /** A digest that is not 64 lowercase hex digits, or none on a successful attempt. */
        BAD_DIGEST("bad-digest"),
        /** A chunk or finish for an attempt that never started in that month (forged, or long forgotten). */
        UNKNOWN_ATTEMPT("unknown-attempt"),
        /** The finish of a run that never started. */
        UNKNOWN_RUN("unknown-run"),
        /** An attempt at a month beyond the months the ledger holds (see {@link ResultsLedger}). */
        TOO_MANY_MONTHS("too-many-months"),
        /** Contradicts an earlier message with the same id (another run, month, source or chunk size). */
        MISMATCH("mismatch");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private static final int MAX_DETAIL = 300;

    private final Reason reason;

    public PoisonMessage(Reason reason, String detail) {
        super(reason.tag() + ": " + clip(detail));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Text from a message, cut short so that a log line or header never carries a huge forged value. */
    static String clip(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }
}
