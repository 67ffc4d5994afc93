package kafkascale.census;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes deterministic census-format months: fixed-width records laid out like the CPS basic files
 * (HRHHID 1-15, HRMONTH 16-17, HRYEAR4 18-21, HEHOUSUT 31-32, 1000 characters), or the CSV form
 * published from 2024. The same seed always gives the same bytes, so runs and tests are repeatable.
 */
public final class SampleGenerator {

    /** Output shapes the census site has used. */
    public enum Shape { DAT_GZ, ZIP, CSV, CSV_ZIP }

    public static final int RECORD_LENGTH = 1000;

    /** Cumulative shares per 10,000 of codes 0..12; code 1 dominates, mobile homes (5, 6) come next. */
    private static final int[] CUMULATIVE_SHARE = cumulative(
            20, 9_330, 15, 10, 10, 310, 250, 15, 10, 5, 5, 15, 5);

    private static final String[] FILLERS = fillers(64);

    private final SplittableRandom random;

    public SampleGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Writes sample months for scripts: {@code DIR YEAR MONTHS RECORDS_PER_MONTH [SEED]}; prints the
     * files, comma-separated (ready for CENSUS_FILES).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: SampleGenerator DIR YEAR MONTHS RECORDS_PER_MONTH [SEED]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int year = Integer.parseInt(args[1]);
        int months = Integer.parseInt(args[2]);
        int records = Integer.parseInt(args[3]);
        SampleGenerator generator = new SampleGenerator(args.length > 4 ? Long.parseLong(args[4]) : year);
        java.util.List<String> files = new java.util.ArrayList<>();
        for (int month = 1; month <= months; month++) {
            files.add(generator.writeMonth(dir, year, month, records, Shape.DAT_GZ, false).toAbsolutePath().toString());
        }
        System.out.println(String.join(",", files));
    }

    /** The file name the census site uses for a month, e.g. {@code jan19pub.dat.gz}. */
    public static String fileName(int year, int month, Shape shape) {
        String base = SourcePlan.MONTHS.get(month - 1) + String.format(Locale.ROOT, "%02d", year % 100) + "pub";
        return switch (shape) {
            case DAT_GZ -> base + ".dat.gz";
            case ZIP, CSV_ZIP -> base + ".zip";
            case CSV -> base + ".csv";
        };
    }

    /** Writes one month of {@code records} records into {@code dir}; returns the file. */
    public Path writeMonth(Path dir, int year, int month, int records, Shape shape, boolean crlf) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(year, month, shape));
        String lineEnd = crlf ? "\r\n" : "\n";
        String entry = SourcePlan.MONTHS.get(month - 1) + String.format(Locale.ROOT, "%02d", year % 100) + "pub";
        try (OutputStream raw = Files.newOutputStream(file)) {
            switch (shape) {
                case DAT_GZ -> {
                    try (GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16)) {
                        writeRecords(gz, year, month, records, false, lineEnd);
                    }
                }
                case CSV -> writeRecords(raw, year, month, records, true, lineEnd);
                case ZIP, CSV_ZIP -> {
                    boolean csv = shape == Shape.CSV_ZIP;
                    try (ZipOutputStream zip = new ZipOutputStream(raw)) {
                        zip.putNextEntry(new ZipEntry(entry + (csv ? ".csv" : ".dat")));
                        writeRecords(zip, year, month, records, csv, lineEnd);
                        zip.closeEntry();
                    }
                }
                default -> throw new IllegalArgumentException(shape.name());
            }
        }
        return file;
    }

    private void writeRecords(OutputStream out, int year, int month, int records, boolean csv, String lineEnd)
            throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
        if (csv) {
            // Header names vary in case in the published CSV files.
            writer.write("HRHHID,hrmonth,HRYEAR4,hufinal,hetenure,hehousut,HETELHHD,hefaminc" + lineEnd);
        }
        for (int i = 0; i < records; i++) {
            int code = nextCode();
            String hhid = String.format(Locale.ROOT, "%015d", Math.floorMod(random.nextLong(), 1_000_000_000_000_000L));
            if (csv) {
                writer.write(hhid + "," + month + "," + year + ",201,1," + code + ",1," + (1 + random.nextInt(16)) + lineEnd);
            } else {
                writer.write(fixedWidthRecord(hhid, year, month, code));
                writer.write(lineEnd);
            }
        }
        writer.flush();
    }

    /** One fixed-width record with HEHOUSUT right-justified at zero-based columns 30-31. */
    public String fixedWidthRecord(String hhid, int year, int month, int code) {
        char[] line = new char[RECORD_LENGTH];
        Arrays.fill(line, ' ');
        put(line, 0, hhid);
        put(line, 15, String.format(Locale.ROOT, "%2d", month));
        put(line, 17, Integer.toString(year));
        put(line, 21, " 1201-1 1"); // HURESPLI, HUFINAL, filler, HETENURE
        put(line, 30, String.format(Locale.ROOT, "%2d", code));
        put(line, 32, " 1 1-1" + String.format(Locale.ROOT, "%2d", 1 + random.nextInt(16)));
        // The many other survey items: one of a fixed set of fillers, cheap to make and to gzip.
        String filler = FILLERS[random.nextInt(FILLERS.length)];
        filler.getChars(0, filler.length(), line, 40);
        return new String(line);
    }

    private int nextCode() {
        int draw = random.nextInt(10_000);
        for (int code = 0; code < CUMULATIVE_SHARE.length; code++) {
            if (draw < CUMULATIVE_SHARE[code]) {
                return code;
            }
        }
        return 1;
    }

    private static void put(char[] line, int at, String value) {
        value.getChars(0, value.length(), line, at);
    }

    private static String[] fillers(int count) {
        SplittableRandom r = new SplittableRandom(7);
        String[] out = new String[count];
        for (int f = 0; f < count; f++) {
            StringBuilder b = new StringBuilder(RECORD_LENGTH - 40);
            while (b.length() < RECORD_LENGTH - 40) {
                int v = r.nextInt(-1, 100);
                b.append(String.format(Locale.ROOT, "%2d", v).substring(0, 2));
            }
            out[f] = b.toString();
        }
        return out;
    }

    private static int[] cumulative(int... shares) {
        int[] out = new int[shares.length];
        int sum = 0;
        for (int i = 0; i < shares.length; i++) {
            sum += shares[i];
            out[i] = sum;
        }
        if (sum != 10_000) {
            throw new IllegalStateException("code shares must add up to 10000, not " + sum);
        }
        return out;
    }
}
