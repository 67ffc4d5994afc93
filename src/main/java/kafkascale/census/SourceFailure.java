package kafkascale.census;

import java.io.IOException;

/** A source that cannot be read, with the reason tag it is reported under (see {@link SourceError}). */
public final class SourceFailure extends IOException {

    private final String reason;

    public SourceFailure(SourceError reason, String message) {
        this(reason.tag(), message);
    }

    /** For reasons outside the fixed list: {@code http-<status>}. */
    public SourceFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
