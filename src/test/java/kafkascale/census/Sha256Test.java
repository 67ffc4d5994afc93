package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native SHA-256 against the JDK's: the same digests, however the bytes are split into updates. The
 * real CPS sample through the reader's own path is RecordDigestTest's (against the JDK's digest too).
 */
class Sha256Test {

    @Test
    void nativeWhereItsLibraryShips() {
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(Sha256.isNative(), "the provider's linux-x86_64 library should load here");
        }
    }

    @Test
    void sameDigestsAsTheJdks() throws Exception {
        Random random = new Random(16);
        for (int trial = 0; trial < 500; trial++) {
            byte[] data = new byte[random.nextInt(trial < 50 ? 200 : 40_000)];
            random.nextBytes(data);
            MessageDigest jdk = MessageDigest.getInstance("SHA-256", "SUN");
            MessageDigest ours = Sha256.newDigest();
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, random.nextInt(12_000) + 1);
                if (n == 1) {
                    jdk.update(data[at]);
                    ours.update(data[at]);
                } else {
                    jdk.update(data, at, n);
                    ours.update(data, at, n);
                }
                at += n;
            }
            byte[] expected = jdk.digest();
            assertArrayEquals(jdkDigest(data), expected, "trial " + trial);
            MessageDigest copy = (MessageDigest) ours.clone(); // RecordDigest.hex() digests a copy
            assertArrayEquals(expected, copy.digest(), "trial " + trial + ", " + data.length + " bytes");
            assertArrayEquals(expected, ours.digest(), "trial " + trial + ", after the copy");
        }
    }

    private static byte[] jdkDigest(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256", "SUN").digest(data);
    }
}
