package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-scanning {@link BoundedLineReader} against the Reader-based one it replaced (kept below as
 * the reference): the same lines, the same overlong count, for random bytes of every value with CR,
 * LF and CRLF in every position, lines around the limit, reads cut at random lengths, and the real
 * CPS records of census-sample/; both as text ({@code readLine()}) and as bytes appended to a chunk
 * ({@code readLine(LineBytes)}, the chunker's path).
 */
class BoundedLineReaderDifferentialTest {

    @Test
    void randomInputsGiveTheSameLinesAsTheReaderBasedLineReader() throws IOException {
        Random random = new Random(20261124L);
        for (int round = 0; round < 300; round++) {
            byte[] input = randomInput(random);
            int maxLine = 1 + random.nextInt(round % 3 == 0 ? 20 : 2000);
            int maxRead = 1 + random.nextInt(round % 2 == 0 ? 7 : 100_000);
            assertSame(input, maxLine, maxRead, "round " + round);
        }
    }

    @Test
    void realRecordsGiveTheSameLines() throws IOException {
        for (Path file : Files.newDirectoryStream(Path.of("src/test/resources/census-sample"))) {
            byte[] bytes = Files.readAllBytes(file);
            if (file.toString().endsWith(".gz")) {
                bytes = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            }
            for (int maxRead : new int[] {1, 3, 999, 1 << 16}) {
                assertSame(bytes, Chunker.DEFAULT_MAX_LINE, maxRead, file.toString());
                assertSame(bytes, 500, maxRead, file + ", records longer than the limit");
            }
        }
    }

    private static void assertSame(byte[] input, int maxLine, int maxRead, String what) throws IOException {
        ReferenceLineReader reference = new ReferenceLineReader(new ChoppyStream(input, maxRead), maxLine);
        BoundedLineReader reader = new BoundedLineReader(new ChoppyStream(input, maxRead), maxLine);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String line; (line = reference.readLine()) != null; ) {
            expected.add(line);
        }
        for (String line; (line = reader.readLine()) != null; ) {
            actual.add(line);
        }
        assertEquals(expected, actual, what + " (max line " + maxLine + ", reads of at most " + maxRead + " bytes)");
        assertEquals(reference.overlongLines, reader.overlongLines(), what);

        // the chunker's path: each line appended after what is already there (as records join a chunk)
        BoundedLineReader appending = new BoundedLineReader(new ChoppyStream(input, maxRead), maxLine);
        BoundedLineReader.LineBytes into = new BoundedLineReader.LineBytes(16);
        List<String> appended = new ArrayList<>();
        for (int i = 0; ; i++) {
            into.clear();
            into.append((byte) 'x');
            int length = appending.readLine(into);
            if (length == BoundedLineReader.END) {
                assertEquals(1, into.length(), what + ": nothing appended at the end");
                break;
            }
            assertEquals(length + 1, into.length(), what + ", line " + i);
            appended.add(new String(into.array(), 1, length, StandardCharsets.ISO_8859_1));
        }
        assertEquals(expected, appended, what + ", appended as bytes");
        assertEquals(reference.overlongLines, appending.overlongLines(), what);
    }

    private static byte[] randomInput(Random random) {
        int length = random.nextInt(5) == 0 ? random.nextInt(200_000) : random.nextInt(3_000);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(40);
            bytes[i] = kind == 0 ? (byte) '\n' : kind == 1 ? (byte) '\r' : (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** An input stream that hands out at most {@code maxRead} bytes per read, as a network stream may. */
    private static final class ChoppyStream extends ByteArrayInputStream {
        private final int maxRead;

        ChoppyStream(byte[] bytes, int maxRead) {
            super(bytes);
            this.maxRead = maxRead;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, maxRead));
        }
    }

    /** The line reader as it was before it scanned bytes: an ISO-8859-1 Reader into chars. */
    private static final class ReferenceLineReader {
        private final Reader reader;
        private final int maxLine;
        private final StringBuilder line = new StringBuilder();
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;
        private boolean skipNextLf;
        long overlongLines;

        ReferenceLineReader(InputStream in, int maxLine) {
            this.reader = new InputStreamReader(in, StandardCharsets.ISO_8859_1);
            this.maxLine = maxLine;
        }

        String readLine() throws IOException {
            line.setLength(0);
            boolean overlong = false;
            boolean sawAnything = false;
            while (true) {
                if (position == limit) {
                    limit = reader.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!sawAnything) {
                            return null;
                        }
                        break;
                    }
                }
                if (skipNextLf) {
                    skipNextLf = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                sawAnything = true;
                int start = position;
                while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                    position++;
                }
                int take = Math.min(position - start, maxLine - line.length());
                if (take < position - start) {
                    overlong = true;
                }
                if (take > 0) {
                    line.append(buffer, start, take);
                }
                if (position < limit) {
                    skipNextLf = buffer[position] == '\r';
                    position++;
                    break;
                }
            }
            if (overlong) {
                overlongLines++;
                return "";
            }
            return line.toString();
        }
    }
}
