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

    /** Loaded when first asked for (a holder class: Sha256's own methods do not load it). */
    private static final class Native {
        static final Provider PROVIDER = loadNative();
    }

    private Sha256() {
    }

    /** A new SHA-256 digest, native when it loaded. */
    public static MessageDigest newDigest() {
        try {
            Provider provider = Native.PROVIDER;
            return provider != null ? MessageDigest.getInstance("SHA-256", provider) : MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Loads the provider on a thread of its own, so that a run's first digest does not wait for it:
     * unpacking, loading and checking its library took 0.1-0.3 s here, which the reader otherwise spent
     * at the start of its first run, before its first chunk (round 17). A digest asked for meanwhile
     * waits for the load to end, as for any class being initialized.
     */
    public static void loadInBackground() {
        Thread load = new Thread(Sha256::isNative, "sha256-load");
        load.setDaemon(true);
        load.start();
    }

    /** True when the digests come from native code. */
    public static boolean isNative() {
        return Native.PROVIDER != null;
    }

    private static Provider loadNative() {
        long started = System.nanoTime();
        Throwable notLoaded;
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            notLoaded = accp.getLoadingError();
            if (notLoaded == null) {
                LOG.info("SHA-256 in native code ({} {}), loaded in {} ms", accp.getName(), accp.getVersionStr(),
                        (System.nanoTime() - started) / 1_000_000);
                return accp;
            }
        } catch (LinkageError e) {
            notLoaded = e;
        }
        LOG.info("SHA-256 from the JDK: the native provider did not load here ({})", notLoaded.toString());
        return null;
    }
}
