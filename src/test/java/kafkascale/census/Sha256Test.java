package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import kafkascale.support.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native SHA-256 against the JDK's: the same digests, however the bytes are split into updates, and
 * the same again where the native library cannot load (then the JDK's runs, slower). The real CPS
 * sample through the reader's own path is RecordDigestTest's (against the JDK's digest too).
 */
class Sha256Test {

    @Test
    void nativeWhereItsLibraryShips() {
        Sha256.loadInBackground(); // as the reader does at start; the first digest waits for it
        assertEquals(Sha256.newDigest().getProvider().getName().startsWith("AmazonCorretto"), Sha256.isNative());
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(Sha256.isNative(), "the provider's linux-x86_64 library should load here");
        }
    }

    @Test
    void sameDigestsAsTheJdks() throws Exception {
        compareWithTheJdks(new Random(16), 500);
    }

    /**
     * The fallback, in a JVM of its own: the provider unpacks its library under its tmpdir property,
     * here a plain file, so the library cannot load (as on a platform it has no library for, or with
     * no writable temporary directory). The digests must not change, and the log must say why.
     */
    @Test
    void theJdksDigestWhereTheNativeLibraryCannotLoad(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
        try (AppProcess probe = AppProcess.java(dir.resolve("probe.log"),
                Map.of("JAVA_TOOL_OPTIONS", "-Dcom.amazon.corretto.crypto.provider.tmpdir=" + notADirectory),
                FallbackProbe.class.getName())) {
            assertEquals(0, probe.awaitExit(Duration.ofSeconds(60)), probe.output());
            String output = probe.output();
            assertTrue(output.contains("native=false, 300 inputs compared"), output);
            assertTrue(output.contains("SHA-256 from the JDK: the native provider did not load here"), output);
        }
    }

    /** Run by the test above in its own JVM: compares, then prints whether the digests were native. */
    public static final class FallbackProbe {
        public static void main(String[] args) throws Exception {
            compareWithTheJdks(new Random(17), 300);
            System.out.println("native=" + Sha256.isNative() + ", 300 inputs compared");
        }
    }

    private static void compareWithTheJdks(Random random, int trials) throws Exception {
        for (int trial = 0; trial < trials; trial++) {
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
