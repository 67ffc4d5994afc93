package routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The results page: a static page from the jar (plain HTML, JS and CSS, nothing from a CDN) that
 * draws /results, /progress and /admin/offsets. Only the named files are served.
 */
public final class PageRoutes extends EndpointRouteBuilder {

    public static final String INDEX_ROUTE = "page-index";

    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        // Vert.x matches "/" as a prefix of every path, so this route starts last (see
        // startLast) and answers only "/" itself; anything no other route took is a 404.
        from(platformHttp("/").httpMethodRestrict("GET"))
                .routeId(INDEX_ROUTE)
                .autoStartup(false)
                .process(exchange -> {
                    String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
                    asset(exchange, path.isEmpty() || path.equals("/") ? "index.html" : null);
                });

        from(platformHttp("/ui/settings").httpMethodRestrict("GET"))
                .routeId("page-settings")
                .setBody(simple("{\"computeTopic\":\"{{kafka.compute-topic}}\",\"resultsTopic\":\"{{kafka.results-topic}}\"}"))
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        // after /ui/settings: the first matching route wins
        from(platformHttp("/ui/{file}").httpMethodRestrict("GET"))
                .routeId("page-asset")
                .process(exchange -> asset(exchange, exchange.getMessage().getHeader("file", String.class)));

    }

    /** Starts the "/" route after every other route has registered its path. */
    public static void startLast(org.apache.camel.CamelContext context) throws Exception {
        context.getRouteController().startRoute(INDEX_ROUTE);
    }

    private static void asset(Exchange exchange, String name) throws IOException {
        String type = name == null ? null : ASSETS.get(name);
        exchange.getMessage().removeHeaders("*");
        if (type == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setBody("not found");
            return;
        }
        try (InputStream in = PageRoutes.class.getResourceAsStream("/static/" + name)) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
            exchange.getMessage().setBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
