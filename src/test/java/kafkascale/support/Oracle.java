package kafkascale.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/**
 * The independent count every pipeline result is checked against: one plain pass over the bytes of
 * each file, written without any of the application's classes.
 */
public final class Oracle {

    private final Map<String, long[]> byYear = new TreeMap<>();

    /** Adds every valid HEHOUSUT of {@code file} under {@code year}. */
    public Oracle add(Path file, int year) throws IOException {
        long[] counts = byYear.computeIfAbsent(Integer.toString(year), y -> new long[13]);
        try (InputStream in = open(file);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            String line = reader.readLine();
            int csvColumn = -1;
            if (line != null && line.toLowerCase().contains("hehousut")) {
                String[] names = line.split(",");
                for (int i = 0; i < names.length; i++) {
                    if (names[i].trim().equalsIgnoreCase("hehousut")) {
                        csvColumn = i;
                    }
                }
                line = reader.readLine();
            }
            for (; line != null; line = reader.readLine()) {
                String field;
                if (csvColumn >= 0) {
                    String[] fields = line.split(",", -1);
                    field = fields.length > csvColumn ? fields[csvColumn] : "";
                } else {
                    field = line.length() >= 32 ? line.substring(30, 32) : "";
                }
                try {
                    int code = Integer.parseInt(field.trim());
                    if (code >= 0 && code <= 12) {
                        counts[code]++;
                    }
                } catch (NumberFormatException notACode) {
                    // not counted
                }
            }
        }
        return this;
    }

    /** Year -> code -> count, with every code 0..12 present, as /results reports them. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        byYear.forEach((year, counts) -> {
            Map<String, Long> codes = new TreeMap<>();
            for (int c = 0; c < 13; c++) {
                codes.put(Integer.toString(c), counts[c]);
            }
            out.put(year, codes);
        });
        return out;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(raw);
        }
        if (name.endsWith(".zip")) {
            ZipInputStream zip = new ZipInputStream(raw);
            zip.getNextEntry();
            return zip;
        }
        return raw;
    }
}
