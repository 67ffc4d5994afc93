package kafkascale.census;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of at most {@code maxLine} bytes through a plain buffer: a longer line is skipped (never
 * held whole, unlike {@code BufferedReader.readLine}) and counted. CR, LF and CRLF end lines. It works
 * on the bytes themselves: {@link #readLine(LineBytes)} appends a line's bytes where the caller builds a
 * chunk, so a record is copied once from the inflated stream into its chunk and never becomes a String
 * on the reader's hot path. {@link #readLine()} gives one line as ISO-8859-1 text (one char per byte, so
 * odd bytes never shift a record's columns) for the few lines that are read as text.
 */
public final class BoundedLineReader {

    /** {@link #readLine(LineBytes)} at the end of the input. */
    public static final int END = -1;

    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[1 << 16];
    private final LineBytes textLine = new LineBytes(1024);
    private int position;
    private int limit;
    private boolean skipNextLf;
    private long overlongLines;

    public BoundedLineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** Lines longer than the limit, skipped so far. */
    public long overlongLines() {
        return overlongLines;
    }

    /** The next line without its ending ("" for an empty or an overlong line), or null at the end. */
    public String readLine() throws IOException {
        textLine.clear();
        int length = readLine(textLine);
        return length == END ? null : new String(textLine.array(), 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Appends the next line, without its ending, to {@code out}: its length (0 for an empty or an
     * overlong line, which leaves {@code out} as it was), or {@link #END} at the end of the input.
     */
    public int readLine(LineBytes out) throws IOException {
        int mark = out.length();
        boolean overlong = false;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAnything) {
                        return END;
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
            int take = Math.min(position - start, maxLine - (out.length() - mark));
            if (take < position - start) {
                overlong = true;
            }
            if (!overlong) {
                out.append(buffer, start, take);
            }
            if (position < limit) {
                skipNextLf = buffer[position] == '\r';
                position++;
                break;
            }
        }
        if (overlong) {
            overlongLines++;
            out.truncate(mark);
            return 0;
        }
        return out.length() - mark;
    }

    /** A growable run of bytes: the chunk being built, or one line. Not thread-safe. */
    public static final class LineBytes {

        private byte[] bytes;
        private int length;

        public LineBytes(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        public void append(byte[] source, int offset, int count) {
            if (count <= 0) {
                return;
            }
            ensure(count);
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        public void append(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        public void append(LineBytes other) {
            append(other.bytes, 0, other.length);
        }

        public int length() {
            return length;
        }

        /** The backing array: valid from 0 to {@link #length()}. */
        public byte[] array() {
            return bytes;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        public void clear() {
            length = 0;
        }

        void truncate(int newLength) {
            length = newLength;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
