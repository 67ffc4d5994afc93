package kafkascale.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A Prometheus text-format scrape, parsed just enough to look series up. */
public final class Scrape {

    public record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Sum of the series named {@code name} whose labels contain every one of {@code labelParts}. */
    public double sum(String name, String... labelParts) {
        double sum = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && containsAll(s.labels(), labelParts)) {
                sum += s.value();
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no series " + name + " with " + List.of(labelParts) + " in the scrape");
        }
        return sum;
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean containsAll(String labels, String... parts) {
        for (String part : parts) {
            if (!labels.contains(part)) {
                return false;
            }
        }
        return true;
    }
}
