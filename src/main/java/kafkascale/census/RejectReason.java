package kafkascale.census;

/** Why a record was not counted. The names appear in /progress and as metric tags. */
public enum RejectReason {
    /** A fixed-width line too short to hold HEHOUSUT (fewer than 32 characters). */
    SHORT_LINE("short-line"),
    /** The HEHOUSUT field is blank or not a number. */
    GARBLED_CODE("garbled-code"),
    /** HEHOUSUT is a number outside 0..12. */
    UNKNOWN_CODE("unknown-code"),
    /** A CSV row with fewer fields than the header needs. */
    MISSING_FIELD("missing-field"),
    /** A line longer than the reader keeps (MAX_LINE_CHARS); skipped by the reader, never sent. */
    OVERLONG_LINE("overlong-line");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
