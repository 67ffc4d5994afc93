package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kafkascale.census.SampleGenerator;
import kafkascale.read.CensusReader;
import kafkascale.read.SourceRead;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The read routes' download loop on a census site served from 127.0.0.1: a 404 at the first URL
 * template falls back to the second; a 500 is retried, then fails only its own source.
 */
class ReadRoutesTest extends RouteTestSupport {

    static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    static final HttpServer SITE = site();

    @AfterAll
    static void stopSite() {
        SITE.stop(0);
    }

    @Override
    String routes() {
        return "routes/ReadRoutes";
    }

    @Override
    Map<String, String> settings() {
        String base = "http://127.0.0.1:" + SITE.getAddress().getPort();
        return Map.of("census.years", "2019", "census.months", "jan,feb",
                "census.url-templates", base + "/a/{mon}{yy}pub.dat.gz," + base + "/b/{mon}{yy}pub.dat.gz",
                "read.chunk-lines", "10", "read.batch-chunks", "2",
                "read.http-retries", "1", "read.http-retry-delay-ms", "1");
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.replaceRouteFromWith("read-run", "direct:read-run"); // no timer: the test drives it
    }

    @Test
    void fallsBackOverTheTemplatesAndFailsOnlyTheBrokenSource() throws Exception {
        CensusReader reader = context.getRegistry().lookupByNameAndType("censusReader", CensusReader.class);
        reader.startRun();
        List<SourceRead> reads = reader.sources();
        MockEndpoint compute = kafkaMock("compute");
        MockEndpoint results = kafkaMock("results");
        compute.expectedMessageCount(2); // 25 records, chunks of 10, two chunks a send
        results.expectedMessageCount(2); // January's attempt: started, finished (February failed before one began)

        template.sendBody("direct:read-source", reads.get(0));
        template.sendBody("direct:read-source", reads.get(1));
        MockEndpoint.assertIsSatisfied(context);

        int chunks = 0;
        for (Exchange batch : compute.getExchanges()) {
            @SuppressWarnings("unchecked")
            List<Message> messages = batch.getMessage().getBody(List.class);
            chunks += messages.size();
            messages.forEach(m -> assertTrue(m.getHeader("kafka.KEY", String.class).startsWith("chunk/2019-01/")));
        }
        assertEquals(3, chunks);
        String started = results.getExchanges().get(0).getMessage().getBody(String.class);
        String finished = results.getExchanges().get(1).getMessage().getBody(String.class);
        assertTrue(started.contains("\"type\":\"attempt-started\"") && started.contains("\"month\":\"2019-01\""), started);
        assertTrue(finished.contains("\"status\":\"ok\"") && finished.contains("\"records\":25"), finished);
        String run = reader.json(reader.finishRun());
        assertTrue(run.contains("\"source\":\"feb19pub\",\"status\":\"failed\"") && run.contains("http-500"), run);
        assertEquals(1, reader.exitCode(), "a failed source makes the read role exit non-zero");
        assertEquals(1, HITS.get("/a/jan19pub.dat.gz").get(), "the first template answered 404 once");
        assertEquals(1, HITS.get("/b/jan19pub.dat.gz").get(), "the second template served the month");
        assertEquals(2, HITS.get("/b/feb19pub.dat.gz").get(), "the 500 was retried once (HTTP_RETRIES=1)");
    }

    /** /a/ has nothing (404); /b/ has January and answers 500 for February. */
    private static HttpServer site() {
        try {
            Path dir = Files.createTempDirectory("read-routes-test");
            byte[] january = Files.readAllBytes(new SampleGenerator(7L)
                    .writeMonth(dir, 2019, 1, 25, SampleGenerator.Shape.DAT_GZ, false));
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                int status = path.equals("/b/jan19pub.dat.gz") ? 200 : path.startsWith("/b/") ? 500 : 404;
                byte[] body = status == 200 ? january : new byte[0];
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
