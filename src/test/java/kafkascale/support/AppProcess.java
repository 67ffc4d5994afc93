package kafkascale.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The application jar (target/kafka-scale.jar, built by {@code mvn package}) as a separate process,
 * configured by environment variables as users run it; its output goes to a log file.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public final Process process;
    public final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the jar with {@code env} on top of this JVM's environment, minus any inherited setting of
     * the app (CAMEL_*, KAFKA_*, ADMIN_TOKEN...), so only what the test sets applies.
     */
    public static AppProcess start(Path log, Map<String, String> env, String... jvmOptions) throws IOException {
        Path jar = Path.of("target", "kafka-scale.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -B -DskipTests package` first");
        }
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx384m"));
        Collections.addAll(command, jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        return startCommand(log, env, command);
    }

    /** Any java main class on this test's classpath (Kafka's broker and tools), as its own process. */
    public static AppProcess java(Path log, Map<String, String> env, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        Collections.addAll(command, args);
        return startCommand(log, env, command);
    }

    private static AppProcess startCommand(Path log, Map<String, String> env, List<String> command) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CAMEL_") || name.startsWith("KAFKA_")
                || name.equals("ADMIN_TOKEN") || name.endsWith("_PORT") || name.startsWith("DEV_CONSOLE"));
        builder.environment().putAll(env);
        return new AppProcess(builder.start(), log);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits for the process to end; fails with its output after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** Polls {@code url} until its body satisfies {@code done}; fails with the log after {@code timeout}. */
    public String awaitHttp(String url, Predicate<String> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the app ended (exit " + process.exitValue() + ") while waiting for " + url + ":\n" + tail());
            }
            try {
                last = get(url, Map.of()).body();
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting on " + url + "; last answer: " + last + "\n" + tail());
    }

    /** Waits until {@code file} exists and its text satisfies {@code done}; returns that text. */
    public String awaitFile(Path file, Predicate<String> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                last = Files.readString(file);
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting on " + file + "; last content: " + last);
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    public static HttpResponse<String> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        return send(url, "GET", headers, null);
    }

    public static HttpResponse<String> send(String url, String method, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine that is up and not loopback, if it has one. */
    public static Optional<String> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
