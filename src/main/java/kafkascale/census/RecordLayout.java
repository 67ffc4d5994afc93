package kafkascale.census;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Where HEHOUSUT (and HRYEAR4) sit in a record. CPS basic monthly files are fixed-width up to 2023
 * (HEHOUSUT at zero-based columns 30-31, HRYEAR4 at 17-20); from 2024 they are CSV with a header
 * row whose names vary in case, so the columns are found by name.
 *
 * <p>A layout is small and travels with every chunk (see {@link #describe()} / {@link #parse(String)}),
 * so that compute can read a chunk without having seen the file's header.
 */
public final class RecordLayout {

    public static final int FIXED_CODE_START = 30;
    public static final int FIXED_CODE_END = 32;
    public static final int FIXED_YEAR_START = 17;
    public static final int FIXED_YEAR_END = 21;

    public static final RecordLayout FIXED_WIDTH = new RecordLayout(-1, -1);

    private final int csvCodeColumn;
    private final int csvYearColumn;

    private RecordLayout(int csvCodeColumn, int csvYearColumn) {
        this.csvCodeColumn = csvCodeColumn;
        this.csvYearColumn = csvYearColumn;
    }

    /** A CSV layout read from a header row; empty if the line is not a CSV header naming HEHOUSUT. */
    public static Optional<RecordLayout> fromCsvHeader(String headerLine) {
        String[] names = stripCr(headerLine).split(",", -1);
        if (names.length < 2) {
            return Optional.empty();
        }
        int code = -1;
        int year = -1;
        for (int i = 0; i < names.length; i++) {
            String name = unquote(names[i]).trim().toUpperCase(Locale.ROOT);
            if (name.equals("HEHOUSUT")) {
                code = i;
            } else if (name.equals("HRYEAR4")) {
                year = i;
            }
        }
        if (code < 0) {
            return Optional.empty();
        }
        return Optional.of(new RecordLayout(code, year));
    }

    public boolean isCsv() {
        return csvCodeColumn >= 0;
    }

    /** Compact text form carried in a chunk header: {@code fixed} or {@code csv:<codeColumn>:<yearColumn>}. */
    public String describe() {
        return isCsv() ? "csv:" + csvCodeColumn + ":" + csvYearColumn : "fixed";
    }

    public static RecordLayout parse(String description) {
        if (description == null || description.isEmpty() || description.equals("fixed")) {
            return FIXED_WIDTH;
        }
        String[] parts = description.split(":");
        if (parts.length != 3 || !parts[0].equals("csv")) {
            throw new IllegalArgumentException("unknown record layout '" + description + "'");
        }
        int code = Integer.parseInt(parts[1]);
        int year = Integer.parseInt(parts[2]);
        return new RecordLayout(code, year);
    }

    /**
     * Classifies one record: a code 0..12, or the reason it is rejected. CR line ends are tolerated.
     * Returns the code as a non-negative int, or {@code -1 - reason.ordinal()} for a rejection
     * (allocation-free, since this runs once per record).
     */
    public int classify(String record) {
        String field;
        if (isCsv()) {
            field = csvField(stripCr(record), csvCodeColumn);
            if (field == null) {
                return reject(RejectReason.MISSING_FIELD);
            }
            field = unquote(field);
        } else {
            int length = record.length();
            if (length > 0 && record.charAt(length - 1) == '\r') {
                length--;
            }
            if (length < FIXED_CODE_END) {
                return reject(RejectReason.SHORT_LINE);
            }
            field = record.substring(FIXED_CODE_START, FIXED_CODE_END);
        }
        field = field.trim();
        if (field.isEmpty()) {
            return reject(RejectReason.GARBLED_CODE);
        }
        int code;
        try {
            code = Integer.parseInt(field);
        } catch (NumberFormatException e) {
            return reject(RejectReason.GARBLED_CODE);
        }
        return HousingCodes.isValid(code) ? code : reject(RejectReason.UNKNOWN_CODE);
    }

    /**
     * {@link #classify(String)} of the record {@code bytes[start..end)} (ISO-8859-1, one char a byte),
     * without making a String of it where the answer is plain: a fixed-width record whose HEHOUSUT is
     * two digits or a blank and a digit. Anything else (CSV, blanks, signs, odd bytes) is handed to
     * {@link #classify(String)}, so both give the same answer for every input (a differential test
     * holds them to it).
     */
    public int classify(byte[] bytes, int start, int end) {
        if (!isCsv()) {
            int length = end - start;
            if (length > 0 && bytes[end - 1] == '\r') {
                length--;
            }
            if (length < FIXED_CODE_END) {
                return reject(RejectReason.SHORT_LINE);
            }
            int tens = bytes[start + FIXED_CODE_START];
            int ones = bytes[start + FIXED_CODE_START + 1] - '0';
            if (ones >= 0 && ones <= 9) {
                int code = -1;
                if (tens == ' ') {
                    code = ones;
                } else if (tens >= '0' && tens <= '9') {
                    code = (tens - '0') * 10 + ones;
                }
                if (code >= 0) {
                    return HousingCodes.isValid(code) ? code : reject(RejectReason.UNKNOWN_CODE);
                }
            }
        }
        return classify(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** Decodes a rejection returned by {@link #classify(String)}. */
    public static RejectReason rejection(int classified) {
        return RejectReason.values()[-1 - classified];
    }

    /** HRYEAR4 of a record if it holds a plausible four-digit year. */
    public Optional<Integer> year(String record) {
        String field;
        if (isCsv()) {
            field = csvYearColumn < 0 ? null : csvField(stripCr(record), csvYearColumn);
            field = field == null ? null : unquote(field);
        } else {
            field = record.length() >= FIXED_YEAR_END ? record.substring(FIXED_YEAR_START, FIXED_YEAR_END) : null;
        }
        if (field == null) {
            return Optional.empty();
        }
        try {
            int year = Integer.parseInt(field.trim());
            return year >= 1900 && year <= 2999 ? Optional.of(year) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int reject(RejectReason reason) {
        return -1 - reason.ordinal();
    }

    /** The n-th comma-separated field, or null when the row has fewer fields. CPS CSV has no embedded commas. */
    private static String csvField(String row, int index) {
        int start = 0;
        for (int i = 0; i < index; i++) {
            int comma = row.indexOf(',', start);
            if (comma < 0) {
                return null;
            }
            start = comma + 1;
        }
        int end = row.indexOf(',', start);
        return end < 0 ? row.substring(start) : row.substring(start, end);
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordLayout other && other.describe().equals(describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
