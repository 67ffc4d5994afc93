package kafkascale.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may change topics: callers presenting {@code Authorization: Bearer <ADMIN_TOKEN>}. With no
 * token configured nobody may (403); a missing or wrong token is 401. The comparison takes the same
 * time whatever the token, and the token never appears in a message.
 */
public final class AdminGuard {

    /** The outcome of a check, with the HTTP status it maps to. */
    public enum Verdict {
        ALLOWED(200), NO_TOKEN_CONFIGURED(403), UNAUTHORIZED(401);

        public final int status;

        Verdict(int status) {
            this.status = status;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

    private final byte[] token;

    public AdminGuard(String configuredToken) {
        this.token = configuredToken == null || configuredToken.isBlank()
                ? null : configuredToken.trim().getBytes(StandardCharsets.UTF_8);
    }

    public Verdict check(String authorizationHeader) {
        if (token == null) {
            return Verdict.NO_TOKEN_CONFIGURED;
        }
        String presented = "";
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorizationHeader.substring(7).trim();
        }
        boolean same = MessageDigest.isEqual(sha256(presented.getBytes(StandardCharsets.UTF_8)), sha256(token));
        return same ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
    }

    /**
     * Lets an allowed caller through; otherwise throws {@link RefusedException} (401 or 403), logged
     * without the presented token.
     */
    public void require(String authorizationHeader) {
        Verdict verdict = check(authorizationHeader);
        if (verdict == Verdict.ALLOWED) {
            return;
        }
        String message = verdict == Verdict.NO_TOKEN_CONFIGURED
                ? "topic changes are disabled: set ADMIN_TOKEN to enable them"
                : "missing or wrong bearer token";
        LOG.warn("Admin: refused a topic change ({})", message);
        throw new RefusedException(verdict, message);
    }

    /** A topic change refused for want of the right bearer token. */
    public static final class RefusedException extends RuntimeException {
        private final Verdict verdict;

        RefusedException(Verdict verdict, String message) {
            super(message);
            this.verdict = verdict;
        }

        public Verdict verdict() {
            return verdict;
        }
    }

    /** Hashing first makes the comparison independent of the presented token's length too. */
    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
