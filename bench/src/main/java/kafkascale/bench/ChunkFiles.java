package kafkascale.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark's own reading of gzipped census files into chunks of N records, cut as the app's
 * reader cuts them (empty lines skipped, records joined by a newline), so that the Kafka tools here
 * move the pipeline's messages without sharing its code.
 */
final class ChunkFiles {

    /**
     * One chunk message: where it comes from, and its text.
     *
     * @param month   the survey month of the file's first record, {@code 2019-01}
     * @param attempt a stand-in for the reader's attempt id: a UUID per file, as long as the real one
     */
    record ChunkText(String source, String month, String attempt, long seq, int year, int records, String text) {

        /** The key the app's reader gives a chunk: {@code chunk/<month>/<attempt>/<seq>}. */
        String key() {
            return "chunk/" + month + "/" + attempt + "/" + seq;
        }
    }

    private ChunkFiles() {
    }

    /** Every chunk of every file, in order, one at a time. */
    static void forEachChunk(List<Path> files, int chunkLines, Consumer<ChunkText> action) {
        for (Path file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.ISO_8859_1), 1 << 16)) {
                Iterator<ChunkText> chunks = chunks(reader, file.getFileName().toString(), chunkLines);
                while (chunks.hasNext()) {
                    action.accept(chunks.next());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    static List<ChunkText> load(List<Path> files, int chunkLines) {
        List<ChunkText> all = new ArrayList<>();
        forEachChunk(files, chunkLines, all::add);
        return all;
    }

    static List<Path> paths(List<String> args) {
        return args.stream().map(Path::of).toList();
    }

    private static Iterator<ChunkText> chunks(BufferedReader reader, String source, int chunkLines) {
        return new Iterator<>() {
            private String pending = nextLine();
            private final int year = yearOf(pending);
            private final String month = year + "-" + monthOf(pending);
            private final String attempt = java.util.UUID.nameUUIDFromBytes(source.getBytes(StandardCharsets.UTF_8)).toString();
            private long seq;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public ChunkText next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                StringBuilder text = new StringBuilder(pending.length() * chunkLines + chunkLines);
                int records = 0;
                while (pending != null && records < chunkLines) {
                    if (records > 0) {
                        text.append('\n');
                    }
                    text.append(pending);
                    records++;
                    pending = nextLine();
                }
                return new ChunkText(source, month, attempt, seq++, year, records, text.toString());
            }

            private String nextLine() {
                try {
                    String line;
                    do {
                        line = reader.readLine();
                    } while (line != null && line.isEmpty());
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** HRYEAR4 (zero-based columns 17-20) of a record, or 0. */
    /** HRMONTH (columns 16-17), two digits. */
    static String monthOf(String record) {
        String month = record == null || record.length() < 17 ? "" : record.substring(15, 17).trim();
        return month.length() == 1 ? "0" + month : month.isEmpty() ? "01" : month;
    }

    static int yearOf(String record) {
        if (record == null || record.length() < 21) {
            return 0;
        }
        try {
            return Integer.parseInt(record.substring(17, 21).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
