package kafkascale.results;

import java.util.List;

/**
 * A reader run begins. From this message on /progress says not complete until the run has finished and
 * every month it read is resolved (or a later run covering the same sources has).
 *
 * @param runId     unique per run (a UUID)
 * @param sources   what the run will read, as configured (file paths or URL lists), in order
 * @param startedAt epoch ms, for people only: which run is later is decided by topic order, not clocks
 */
public record RunStarted(String runId, List<String> sources, long startedAt) implements ResultsMessage {

    @Override
    public String key() {
        return RUNS_KEY;
    }
}
