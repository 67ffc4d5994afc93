package kafkascale.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** scripts/local-cluster.sh run from a test: separate broker and role processes on 127.0.0.1. */
public final class LocalCluster implements AutoCloseable {

    private final Process script;
    private final Path work;

    private LocalCluster(Process script, Path work) {
        this.script = script;
        this.work = work;
    }

    public static LocalCluster start(Path work, String... options) throws IOException {
        return run("scripts/local-cluster.sh", work, options);
    }

    /** Another script that writes the same state and pids files (scripts/demo-scale.sh). */
    public static LocalCluster run(String script, Path work, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script, "--work", work.toString()));
        command.addAll(List.of(options));
        Files.createDirectories(work);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("script.log").toFile()).start();
        return new LocalCluster(process, work);
    }

    /** The script's state file, once it holds {@code key}; fails with the script's output after {@code timeout}. */
    public Map<String, String> awaitState(String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> state = state();
            if (state.containsKey(key)) {
                return state;
            }
            if (!script.isAlive()) {
                throw new AssertionError("the script ended early:\n" + Files.readString(work.resolve("script.log"))
                        + logTails());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + key + " after " + timeout + ":\n" + Files.readString(work.resolve("script.log"))
                + logTails());
    }

    /** The last lines of every process's log: the work folder is gone once the test ends. */
    private String logTails() throws IOException {
        StringBuilder out = new StringBuilder();
        Path logs = work.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                    out.append("\n--- last lines of ").append(log.getFileName()).append(" ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
                }
            }
        }
        return out.toString();
    }

    public Map<String, String> state() throws IOException {
        Map<String, String> state = new HashMap<>();
        Path file = work.resolve("cluster.env");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    state.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
        }
        return state;
    }

    /** "name pid" of every process the script started. */
    public Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new HashMap<>();
        for (String line : Files.readAllLines(work.resolve("pids"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                pids.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return pids;
    }

    public Path work() {
        return work;
    }

    @Override
    public void close() throws Exception {
        script.destroy(); // SIGTERM: the script's trap stops every process it started
        if (!script.waitFor(60, TimeUnit.SECONDS)) {
            script.destroyForcibly();
        }
    }
}
