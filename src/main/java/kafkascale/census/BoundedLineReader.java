package kafkascale.census;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of at most {@code maxLine} characters through a plain buffer: a longer line is skipped
 * (never held whole, unlike {@code BufferedReader.readLine}) and counted. CR, LF and CRLF end lines.
 * Bytes are read as ISO-8859-1, which maps every byte to one char, so odd bytes in a record never shift
 * its columns.
 */
public final class BoundedLineReader {

    private final Reader reader;
    private final int maxLine;
    private final StringBuilder line = new StringBuilder(1024);
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean skipNextLf;
    private long overlongLines;

    public BoundedLineReader(InputStream in, int maxLine) {
        this.reader = new InputStreamReader(in, StandardCharsets.ISO_8859_1);
        this.maxLine = maxLine;
    }

    /** Lines longer than the limit, skipped so far. */
    public long overlongLines() {
        return overlongLines;
    }

    /** The next line without its ending ("" for an empty or an overlong line), or null at the end. */
    public String readLine() throws IOException {
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
