package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The native SHA-256 against the JDK's: the same digests, however the bytes are split into updates. */
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

    @Test
    void theRealSampleDigestsAsSha256sum() throws Exception {
        Path sample = Path.of("src/test/resources/census-sample");
        try (var files = Files.list(sample)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".dat")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                MessageDigest ours = Sha256.newDigest();
                ours.update(bytes);
                assertEquals(HexFormat.of().formatHex(jdkDigest(bytes)), HexFormat.of().formatHex(ours.digest()), file.toString());
            }
        }
    }

    private static byte[] jdkDigest(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256", "SUN").digest(data);
    }
}
