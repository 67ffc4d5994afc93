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
 *
 * <p>Fixed-width records look like published ones to a compressor too: households whose members
 * repeat the household columns, person items that are {@code -1} outside their universe, blanks,
 * and small codes with a dominant answer. A month of 140,000 records is 140 MB and gzips to about
 * 14 MB, a tenth, as the census files do (benchmarks depend on that ratio).
 */
public final class SampleGenerator {

    /** Output shapes the census site has used. */
    public enum Shape { DAT_GZ, ZIP, CSV, CSV_ZIP }

    public static final int RECORD_LENGTH = 1000;

    /** Cumulative shares per 10,000 of codes 0..12; code 1 dominates, mobile homes (5, 6) come next. */
    private static final int[] CUMULATIVE_SHARE = cumulative(
            20, 9_330, 15, 10, 10, 310, 250, 15, 10, 5, 5, 15, 5);

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
            for (int i = 0; i < records; i++) {
                String hhid = newHouseholdId();
                writer.write(hhid + "," + month + "," + year + ",201,1," + nextCode() + ",1," + (1 + random.nextInt(16)) + lineEnd);
            }
        } else {
            // One household at a time: its members' records share the household columns.
            char[] line = new char[RECORD_LENGTH];
            int written = 0;
            while (written < records) {
                Household household = household(newHouseholdId(), year, month, nextCode());
                for (int member = 0; member < household.persons && written < records; member++, written++) {
                    household.person(member, line);
                    writer.write(line);
                    writer.write(lineEnd);
                }
            }
        }
        writer.flush();
    }

    /**
     * One fixed-width record of the published length (a one-person household) with HEHOUSUT
     * right-justified at zero-based columns 30-31.
     */
    public String fixedWidthRecord(String hhid, int year, int month, int code) {
        char[] line = new char[RECORD_LENGTH];
        household(hhid, year, month, code).person(0, line);
        return new String(line);
    }

    private String newHouseholdId() {
        return String.format(Locale.ROOT, "%015d", Math.floorMod(random.nextLong(), 1_000_000_000_000_000L));
    }

    /**
     * A household as the CPS publishes it: about one in six addresses is a non-interview (one
     * record, person items not in universe); an interviewed household has one record per member,
     * each repeating the household columns (id, date, tenure, HEHOUSUT, income, weight, geography).
     */
    private Household household(String hhid, int year, int month, int code) {
        boolean interviewed = random.nextInt(100) >= 16;
        char[] columns = new char[Layout.HOUSEHOLD_END];
        Arrays.fill(columns, ' ');
        put(columns, 0, hhid);
        put(columns, 15, right(month, 2));
        put(columns, 17, Integer.toString(year));
        int persons = interviewed ? pick(Layout.HOUSEHOLD_SIZE_SHARE) + 1 : 1;
        put(columns, 21, right(interviewed ? 1 + random.nextInt(persons) : -1, 2)); // HURESPLI
        put(columns, 23, interviewed ? (random.nextInt(6) == 0 ? "001" : "201")
                : Layout.NONINTERVIEW_FINAL[random.nextInt(Layout.NONINTERVIEW_FINAL.length)]); // HUFINAL
        put(columns, 26, "-1");
        put(columns, 28, right(interviewed ? 1 + pick(Layout.TENURE_SHARE) : -1, 2)); // HETENURE
        put(columns, 30, right(code, 2)); // HEHOUSUT
        put(columns, 32, right(interviewed ? 1 + random.nextInt(2) : -1, 2)); // HETELHHD
        put(columns, 34, "-1"); // HETELAVL
        put(columns, 36, right(interviewed ? random.nextInt(2) : -1, 2)); // HEPHONEO
        put(columns, 38, right(interviewed ? 1 + random.nextInt(16) : -1, 2)); // HEFAMINC
        put(columns, 40, "-1-1-1");
        put(columns, 46, right(interviewed ? 15_000_000 + random.nextInt(30_000_000) : 0, 10)); // HWHHWGT
        Layout.fill(Layout.HOUSEHOLD_FIELDS, columns, random, interviewed ? Layout.ALL_GROUPS : 0);
        return new Household(columns, interviewed ? persons : 1, interviewed);
    }

    /** The household's columns and the draws for each member's person columns. */
    private final class Household {
        private final char[] columns;
        private final int persons;
        private final boolean interviewed;
        private final String personWeight;

        Household(char[] columns, int persons, boolean interviewed) {
            this.columns = columns;
            this.persons = persons;
            this.interviewed = interviewed;
            this.personWeight = right(interviewed ? 15_000_000 + random.nextInt(30_000_000) : 0, 10);
        }

        /** Writes member {@code index}'s whole record into {@code line}. */
        void person(int index, char[] line) {
            Arrays.fill(line, ' ');
            System.arraycopy(columns, 0, line, 0, columns.length);
            int groups = 0;
            if (interviewed) {
                boolean child = index > 1 && random.nextInt(3) > 0;
                groups = Layout.EVERY_PERSON;
                if (!child) {
                    groups |= Layout.ADULT;
                    int status = random.nextInt(100);
                    groups |= status < 60 ? Layout.EMPLOYED : Layout.NOT_EMPLOYED;
                    if (status < 60 && random.nextInt(4) == 0) {
                        groups |= Layout.EARNINGS; // the outgoing rotation answers the earnings items
                    }
                    if (random.nextInt(10) == 0) {
                        groups |= Layout.SUPPLEMENT;
                    }
                }
            }
            Layout.fill(Layout.PERSON_FIELDS, line, random, groups);
            put(line, Layout.WEIGHTS_AT, personWeight);
            put(line, Layout.WEIGHTS_AT + 10, right(interviewed ? 15_000_000 + random.nextInt(30_000_000) : 0, 10));
        }
    }

    /**
     * The column plan of a published record beyond the named household fields: fields of one to
     * ten characters, each in a universe (every person, adults, the employed, ...). A value outside
     * the person's universe is {@code -1}; inside, it is drawn from a few likely values of that field,
     * as survey answers are. Fixed (its own seed), so every generator writes the same layout.
     */
    private static final class Layout {
        static final int HOUSEHOLD_END = 140;
        static final int PERSON_END = 956;
        static final int WEIGHTS_AT = PERSON_END - 20;

        static final int EVERY_PERSON = 1;
        static final int ADULT = 2;
        static final int EMPLOYED = 4;
        static final int NOT_EMPLOYED = 8;
        static final int EARNINGS = 16;
        static final int SUPPLEMENT = 32;
        static final int ALL_GROUPS = 63;

        static final int[] HOUSEHOLD_SIZE_SHARE = cumulative(2_800, 3_400, 1_500, 1_300, 600, 300, 100);
        static final int[] TENURE_SHARE = cumulative(6_500, 3_300, 200);
        static final String[] NONINTERVIEW_FINAL = {"213", "214", "218", "219", "226", "227", "232", "233", "240"};

        static final int[] LIKELIHOOD = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2};

        static final Field[] HOUSEHOLD_FIELDS;
        static final Field[] PERSON_FIELDS;

        static {
            SplittableRandom plan = new SplittableRandom(1_000);
            HOUSEHOLD_FIELDS = plan(plan, 56, HOUSEHOLD_END, new int[] {EVERY_PERSON});
            PERSON_FIELDS = plan(plan, HOUSEHOLD_END, WEIGHTS_AT,
                    new int[] {EVERY_PERSON, ADULT, EMPLOYED, NOT_EMPLOYED, EARNINGS, SUPPLEMENT, EVERY_PERSON});
        }

        private Layout() {
        }

        /** Sections of consecutive fields, one universe each, from {@code from} to {@code to}. */
        private static Field[] plan(SplittableRandom plan, int from, int to, int[] universes) {
            java.util.List<Field> fields = new java.util.ArrayList<>();
            int at = from;
            while (at < to) {
                int universe = universes[plan.nextInt(universes.length)];
                int sectionEnd = Math.min(to, at + 20 + plan.nextInt(100));
                while (at < sectionEnd) {
                    int kind = plan.nextInt(100);
                    int width = kind < 80 ? 2 : kind < 88 ? 1 : kind < 94 ? 3 : kind < 98 ? 4 : 8;
                    width = Math.min(width, sectionEnd - at);
                    boolean blank = plan.nextInt(40) == 0; // fillers and withheld items
                    fields.add(new Field(at, width, blank ? 0 : universe, values(plan, width)));
                    at += width;
                }
            }
            return fields.toArray(Field[]::new);
        }

        /** A field's likely answers, most likely first, already right-justified. */
        private static String[] values(SplittableRandom plan, int width) {
            int count = 1 + plan.nextInt(width == 1 ? 2 : 4);
            String[] values = new String[count];
            long max = width >= 8 ? 10_000_000L : (long) Math.pow(10, width) - 1;
            for (int i = 0; i < count; i++) {
                long value = width <= 2 ? plan.nextInt(width == 1 ? 0 : -1, width == 1 ? 10 : 20) : plan.nextLong(max);
                values[i] = right(value, width);
            }
            return values;
        }

        /** Writes every field of the plan into {@code line} for a person in {@code groups}. */
        static void fill(Field[] fields, char[] line, SplittableRandom random, int groups) {
            for (Field field : fields) {
                String value;
                if (field.universe == 0) {
                    continue; // blank
                } else if ((groups & field.universe) == 0) {
                    value = field.width == 1 ? " " : field.notInUniverse;
                } else if (field.width >= 6 && field.values.length > 1) {
                    value = right(random.nextLong((long) Math.pow(10, Math.min(field.width, 9)) / 10), field.width);
                } else {
                    // most people give a field's first answer (13 in 16), fewer each next one
                    int i = Math.min(LIKELIHOOD[random.nextInt(LIKELIHOOD.length)], field.values.length - 1);
                    value = field.values[i];
                }
                value.getChars(0, field.width, line, field.at);
            }
        }
    }

    private record Field(int at, int width, int universe, String[] values, String notInUniverse) {
        Field(int at, int width, int universe, String[] values) {
            this(at, width, universe, values, right(-1, width));
        }
    }

    private static String right(long value, int width) {
        String text = Long.toString(value);
        if (text.length() > width) {
            text = text.substring(text.length() - width);
        }
        return " ".repeat(width - text.length()) + text;
    }

    private int pick(int[] cumulative) {
        int draw = random.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
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
