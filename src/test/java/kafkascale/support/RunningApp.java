package kafkascale.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import kafkascale.KafkaScaleApplication;
import org.apache.camel.main.Main;

/** One role of the real application running in this JVM, on its own HTTP port, for tests. */
public final class RunningApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final Main main;
    public final int port;
    public final int managementPort;

    private RunningApp(Main main, int port, int managementPort) {
        this.main = main;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts a role with {@code settings} (application.properties keys) on top of the defaults. */
    public static RunningApp start(Map<String, String> settings) throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Properties overrides = new Properties();
        overrides.put("http.port", Integer.toString(port));
        overrides.put("management.port", Integer.toString(managementPort));
        // a role cut off from its broker would otherwise wait the full 30 s for its consumers on close
        overrides.put("camel.main.shutdown-timeout", "5");
        // one CLI connector lock file per process: a Main that stops would end every other one in this JVM
        overrides.put("cli-connector.enabled", "false");
        overrides.putAll(settings);
        Main main = KafkaScaleApplication.create(overrides);
        main.start();
        return new RunningApp(main, port, managementPort);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    /** GET on Camel's management port (/observe/..., /q/dev). */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Polls {@code path} until {@code done} holds; fails with the last body after {@code timeout}. */
    public JsonNode await(String path, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = json(path);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException | IllegalStateException notYet) {
                // not serving yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
    }

    /** Polls {@code path} on the management port until {@code done} holds; fails with the last answer after {@code timeout}. */
    public HttpResponse<String> awaitManagement(String path, Predicate<HttpResponse<String>> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = management(path);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notYet) {
                // not serving yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /** /results reduced to year -> code -> count, for comparing with {@link Oracle#counts()}. */
    public Map<String, Map<String, Long>> counts() throws Exception {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        json("/results").fields().forEachRemaining(year -> {
            Map<String, Long> codes = new TreeMap<>();
            year.getValue().fields().forEachRemaining(code -> codes.put(code.getKey(), code.getValue().get("Count").asLong()));
            out.put(year.getKey(), codes);
        });
        return out;
    }

    @Override
    public void close() {
        main.stop();
    }

    /**
     * A port nothing listens on, below the kernel's ephemeral range, as scripts/lib.sh's free_port picks
     * one: a port the kernel hands out (port 0) comes from that range, where an outgoing connection can
     * take it before the server it is meant for binds it.
     */
    public static int freePort() throws IOException {
        int ephemeralLow = 0;
        try {
            ephemeralLow = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the kernel's choice
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ephemeralLow > 12_000 ? ThreadLocalRandom.current().nextInt(10_000, ephemeralLow) : 0;
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // taken: another
            }
        }
        throw new IOException("no free port below " + ephemeralLow + " after 100 tries");
    }
}
