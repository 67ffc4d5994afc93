package kafkascale.census;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a month's SHA-256 comes from: the Amazon Corretto Crypto Provider's native code (AWS-LC, the
 * CPU's SHA instructions) where its library loads, the JDK's otherwise. Both give the same digests;
 * the native one is about ten times as fast in a JVM that runs C1 only, so the reader and {@code all}
 * need not let C2 compile anything for the digest (docs/benchmark.md, round 16). The provider is used
 * for this digest only, never installed for the JVM (TLS and the rest stay on the JDK's).
 */
public final class Sha256 {

    private static final Logger LOG = LoggerFactory.getLogger(Sha256.class);
    private static final Provider NATIVE = loadNative();

    private Sha256() {
    }

    /** A new SHA-256 digest, native when it loaded. */
    public static MessageDigest newDigest() {
        try {
            return NATIVE != null ? MessageDigest.getInstance("SHA-256", NATIVE) : MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** True when the digests come from native code. */
    public static boolean isNative() {
        return NATIVE != null;
    }

    private static Provider loadNative() {
        Throwable notLoaded;
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            notLoaded = accp.getLoadingError();
            if (notLoaded == null) {
                return accp;
            }
        } catch (LinkageError e) {
            notLoaded = e;
        }
        LOG.info("SHA-256 from the JDK: the native provider did not load here ({})", notLoaded.toString());
        return null;
    }
}
