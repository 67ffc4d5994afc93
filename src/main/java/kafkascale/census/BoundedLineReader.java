package kafkascale.census;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of at most {@code maxLine} characters through a plain buffer: a longer line is skipped
 * (never held whole, unlike {@code BufferedReader.readLine}) and counted. CR, LF and CRLF end lines.
 * Bytes are read as ISO-8859-1, which maps every byte to one char, so odd bytes in a record never shift
 * its columns. It works on the bytes themselves (a line becomes a Latin-1 String in one copy): decoding
 * through a Reader into chars and back was the reader's largest cost.
 */
public final class BoundedLineReader {

    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[1 << 16];
    /** The start of a line that runs past the end of {@link #buffer}, until its end is read. */
    private byte[] carry = new byte[1024];
    private int carried;
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
        carried = 0;
        boolean overlong = false;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
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
            int take = Math.min(position - start, maxLine - carried);
            if (take < position - start) {
                overlong = true;
            }
            if (position < limit) {
                skipNextLf = buffer[position] == '\r';
                position++;
                if (!overlong && carried == 0) {
                    // the whole line is in the buffer: one copy into the String
                    return new String(buffer, start, take, StandardCharsets.ISO_8859_1);
                }
                append(start, take);
                break;
            }
            append(start, take);
        }
        if (overlong) {
            overlongLines++;
            return "";
        }
        return new String(carry, 0, carried, StandardCharsets.ISO_8859_1);
    }

    private void append(int start, int length) {
        if (length <= 0) {
            return;
        }
        if (carried + length > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carried + length));
        }
        System.arraycopy(buffer, start, carry, carried, length);
        carried += length;
    }
}
