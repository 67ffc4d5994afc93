package kafkascale.census;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of a census month: the survey year and month the records say they belong to. Two files
 * holding the same month (.dat.gz, .zip, .dat, CSV, a download or a local copy, any file name) are
 * the same month; the text form {@code 2019-01} is how it appears in messages and in /progress.
 *
 * <p>Bounds: years 1994..2999 (the CPS basic monthly files start in 1994; nothing later than the
 * year range a four-digit HRYEAR4 can say), months 1..12. Every month is therefore one of 12,072, which
 * is what bounds the results role's memory per month.
 */
public record SurveyMonth(int year, int month) implements Comparable<SurveyMonth> {

    public static final int FIRST_YEAR = 1994;
    public static final int LAST_YEAR = 2999;

    /** Zero-based, end-exclusive columns of HRMONTH and HRYEAR4 in a fixed-width CPS record. */
    public static final int FIXED_MONTH_START = 15;
    public static final int FIXED_MONTH_END = 17;
    public static final int FIXED_YEAR_START = 17;
    public static final int FIXED_YEAR_END = 21;

    /** CPS file names: {@code jan19pub.dat.gz}, {@code dec98pub.zip}; the name must start there or after a non-letter. */
    private static final Pattern FILE_NAME = Pattern.compile("(?:^|[^a-z])([a-z]{3})(\\d{2})pub", Pattern.CASE_INSENSITIVE);

    public SurveyMonth {
        if (!isValid(year, month)) {
            throw new IllegalArgumentException("survey month " + year + "-" + month + " is outside "
                    + FIRST_YEAR + "-01.." + LAST_YEAR + "-12");
        }
    }

    public static boolean isValid(int year, int month) {
        return year >= FIRST_YEAR && year <= LAST_YEAR && month >= 1 && month <= 12;
    }

    /** Parses the text form {@code yyyy-MM} exactly; throws IllegalArgumentException otherwise. */
    public static SurveyMonth parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "'" + (text == null ? "null" : text.length() > 20 ? text.substring(0, 20) + "..." : text)
                        + "' is not a survey month like 2019-01 within " + FIRST_YEAR + ".." + LAST_YEAR));
    }

    /**
     * {@link #parse(String)} without the exception: four ASCII digits, a dash, two ASCII digits, in bounds.
     * Read by hand, not by a regex, since the results role reads a month per chunk result.
     */
    public static Optional<SurveyMonth> tryParse(String text) {
        if (text == null || text.length() != 7 || text.charAt(4) != '-') {
            return Optional.empty();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        return year < 0 || month < 0 ? Optional.empty() : of(year, month);
    }

    /** The ASCII digits {@code text[from..to)} as a number, or -1 if any is not one. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public static Optional<SurveyMonth> of(int year, int month) {
        return isValid(year, month) ? Optional.of(new SurveyMonth(year, month)) : Optional.empty();
    }

    /**
     * The month of a census file: HRYEAR4 and HRMONTH of its first record (CSV when {@code csvHeader}
     * is the file's header row, fixed-width when it is null), else the {@code mmmYYpub} in its file
     * name, else empty (the reader then fails the source as {@code unknown-month}). The records win
     * over the name, so a renamed copy is still its own month.
     */
    public static Optional<SurveyMonth> identify(String csvHeader, String firstRecord, String fileName) {
        Optional<SurveyMonth> fromRecord = firstRecord == null ? Optional.empty()
                : csvHeader == null ? fromFixedWidth(firstRecord) : fromCsv(csvHeader, firstRecord);
        return fromRecord.isPresent() ? fromRecord : fromFileName(fileName);
    }

    /** HRMONTH (columns 15-16, right-justified) and HRYEAR4 (17-20) of a fixed-width record. */
    public static Optional<SurveyMonth> fromFixedWidth(String record) {
        if (record == null || record.length() < FIXED_YEAR_END) {
            return Optional.empty();
        }
        return fromFields(record.substring(FIXED_YEAR_START, FIXED_YEAR_END),
                record.substring(FIXED_MONTH_START, FIXED_MONTH_END));
    }

    /** HRYEAR4 and HRMONTH of a CSV record, found by name (any case, quoted or not) in the header row. */
    public static Optional<SurveyMonth> fromCsv(String header, String record) {
        if (header == null || record == null) {
            return Optional.empty();
        }
        String[] names = stripCr(header).split(",", -1);
        int yearColumn = -1;
        int monthColumn = -1;
        for (int i = 0; i < names.length; i++) {
            String name = unquote(names[i]).toUpperCase(Locale.ROOT);
            if (name.equals("HRYEAR4")) {
                yearColumn = i;
            } else if (name.equals("HRMONTH")) {
                monthColumn = i;
            }
        }
        if (yearColumn < 0 || monthColumn < 0) {
            return Optional.empty();
        }
        String[] fields = stripCr(record).split(",", -1);
        if (fields.length <= Math.max(yearColumn, monthColumn)) {
            return Optional.empty();
        }
        return fromFields(unquote(fields[yearColumn]), unquote(fields[monthColumn]));
    }

    /** The month a CPS file name such as {@code jan19pub.dat.gz} names; two-digit years 94..99 are the 1990s. */
    public static Optional<SurveyMonth> fromFileName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = FILE_NAME.matcher(name);
        while (m.find()) {
            int month = SourcePlan.MONTHS.indexOf(m.group(1).toLowerCase(Locale.ROOT)) + 1;
            if (month > 0) {
                int yy = Integer.parseInt(m.group(2));
                return of(yy >= 94 ? 1900 + yy : 2000 + yy, month);
            }
        }
        return Optional.empty();
    }

    private static Optional<SurveyMonth> fromFields(String yearField, String monthField) {
        String y = yearField.trim();
        String m = monthField.trim();
        if (y.length() != 4 || m.isEmpty() || m.length() > 2 || !digits(y) || !digits(m)) {
            return Optional.empty(); // blank, negative (-1 means "not in universe") or garbled
        }
        return of(Integer.parseInt(y), Integer.parseInt(m));
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1).trim();
        }
        return v;
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public int compareTo(SurveyMonth other) {
        return year != other.year ? Integer.compare(year, other.year) : Integer.compare(month, other.month);
    }

    /**
     * {@code 2019-01}: the year always has four digits (bounds above). Not String.format: the reader
     * writes it into every chunk's key, and formatting was 2 % of a run's CPU (docs/benchmark.md, round 9).
     */
    @Override
    public String toString() {
        return year + (month < 10 ? "-0" : "-") + month;
    }
}
