package kafkascale.census;

import java.util.List;
import java.util.OptionalInt;

/**
 * One census month to read.
 *
 * @param id        stable identity of the source across runs (the file name, e.g. {@code jan19pub}), so a
 *                  second run over the same month is recognised
 * @param locations where to fetch it, tried in order until one exists (URLs or local paths)
 * @param year      the survey year when known from the configuration; empty for local files
 */
public record CensusSource(String id, List<String> locations, OptionalInt year) {

    public boolean remote() {
        return locations.get(0).startsWith("http://") || locations.get(0).startsWith("https://");
    }
}
