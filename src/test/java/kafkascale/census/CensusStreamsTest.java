package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class CensusStreamsTest {

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("records of " + name + "\n").getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static String reasonOf(Exception e) {
        return SourceError.tagOf(e);
    }

    @Test
    void gunzipsSeveralMembersAsOneStream() throws IOException {
        byte[] a = gzip("first\n");
        byte[] b = gzip("second\n");
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals("first\nsecond\n", readAll(CensusStreams.open(new ByteArrayInputStream(both), "x.dat.gz")));
    }

    @Test
    void namesTruncatedAndNotGzipInput() throws IOException {
        byte[] whole = gzip("x".repeat(10_000));
        IOException truncated = assertThrows(IOException.class, () -> readAll(
                CensusStreams.open(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2)), "x.dat.gz")));
        assertEquals("truncated", reasonOf(truncated));
        IOException notGzip = assertThrows(IOException.class,
                () -> CensusStreams.open(new ByteArrayInputStream("plain text".getBytes(StandardCharsets.US_ASCII)), "y.gz"));
        assertEquals("not-gzip", reasonOf(notGzip));
    }

    @Test
    void zipMustHoldExactlyOneFile() throws IOException {
        assertEquals("records of jan19pub.dat\n",
                readAll(CensusStreams.open(new ByteArrayInputStream(zip("jan19pub.dat")), "jan19pub.zip")));
        IOException empty = assertThrows(IOException.class,
                () -> CensusStreams.open(new ByteArrayInputStream(zip()), "e.zip"));
        assertEquals("zip-entries", reasonOf(empty));
        IOException two = assertThrows(IOException.class,
                () -> readAll(CensusStreams.open(new ByteArrayInputStream(zip("a.dat", "b.dat")), "two.zip")));
        assertEquals("zip-entries", reasonOf(two));
    }

    @Test
    void otherNamesAreReadAsTheyAre() throws IOException {
        assertEquals("as is", readAll(CensusStreams.open(
                new ByteArrayInputStream("as is".getBytes(StandardCharsets.US_ASCII)), "jan24pub.csv")));
    }
}
