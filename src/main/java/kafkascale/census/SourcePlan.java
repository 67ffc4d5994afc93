package kafkascale.census;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Expands the reader's configuration (years, months, URL templates or local files) into sources. */
public final class SourcePlan {

    public static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    private SourcePlan() {
    }

    /**
     * Local files when {@code files} is non-blank, otherwise one source per (year, month) whose
     * locations are the templates with {@code {year}}, {@code {yy}} and {@code {mon}} filled in.
     */
    public static List<CensusSource> plan(String years, String months, String urlTemplates, String files) {
        if (files != null && !files.isBlank()) {
            return localFiles(files);
        }
        List<String> templates = splitList(urlTemplates);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no census URL template and no census files configured");
        }
        for (String template : templates) {
            String lower = template.toLowerCase(Locale.ROOT);
            // the operator's configuration is the only place a source URL comes from; no other schemes
            if (!(lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:"))) {
                throw new IllegalArgumentException("census URL template '" + template + "' must be http, https or file");
            }
        }
        List<CensusSource> sources = new ArrayList<>();
        for (String y : splitList(years)) {
            int year = parseYear(y);
            for (String mon : months(months)) {
                List<String> urls = new ArrayList<>();
                for (String template : templates) {
                    urls.add(expand(template, year, mon));
                }
                String id = mon + String.format(Locale.ROOT, "%02d", year % 100) + "pub";
                sources.add(new CensusSource(id, List.copyOf(urls), OptionalInt.of(year)));
            }
        }
        return sources;
    }

    static String expand(String template, int year, String mon) {
        return template.replace("{year}", Integer.toString(year))
                .replace("{yy}", String.format(Locale.ROOT, "%02d", year % 100))
                .replace("{mon}", mon);
    }

    static List<String> months(String months) {
        List<String> list = splitList(months);
        if (list.isEmpty() || list.equals(List.of("*"))) {
            return MONTHS;
        }
        for (String m : list) {
            if (!MONTHS.contains(m.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown month '" + m + "', expected one of " + MONTHS + " or *");
            }
        }
        return list.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
    }

    private static int parseYear(String y) {
        try {
            int year = Integer.parseInt(y);
            if (year >= 1994 && year <= 2999) {
                return year;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("census year '" + y + "' is not a four-digit year from 1994");
    }

    private static List<CensusSource> localFiles(String files) {
        List<CensusSource> sources = new ArrayList<>();
        for (String file : splitList(files)) {
            String name = Path.of(file).getFileName().toString();
            sources.add(new CensusSource(name, List.of(file), OptionalInt.empty()));
        }
        return sources;
    }

    /** Comma-separated values, trimmed, blanks dropped. */
    public static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
