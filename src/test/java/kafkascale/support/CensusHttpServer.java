package kafkascale.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a folder laid out like the census site ({@code /{year}/basic/{mon}{yy}pub.dat.gz}) on
 * 127.0.0.1, so the reader is tested over real HTTP without the internet. Paths put in
 * {@link #failing} answer 500.
 */
public final class CensusHttpServer implements AutoCloseable {

    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Paths that answer only after 5 s (read time-outs). */
    public final Set<String> slow = ConcurrentHashMap.newKeySet();
    public final AtomicInteger requests = new AtomicInteger();
    public final java.util.Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
    private final HttpServer server;

    public CensusHttpServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            requestsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (slow.contains(path)) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Path file = root.resolve(path.substring(1)).normalize();
            try (exchange) {
                if (failing.contains(path)) {
                    exchange.sendResponseHeaders(500, -1);
                } else if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.sendResponseHeaders(200, Files.size(file));
                    try (OutputStream out = exchange.getResponseBody()) {
                        Files.copy(file, out);
                    }
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // slow answers must not hold up others
        server.start();
    }

    /** The URL templates the reader is given, in the census order: .dat.gz, .zip, .csv. */
    public String templates() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/{year}/basic/{mon}{yy}pub";
        return base + ".dat.gz," + base + ".zip," + base + ".csv";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
