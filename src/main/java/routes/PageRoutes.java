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

    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        from(platformHttp("/").httpMethodRestrict("GET"))
                .routeId("page-index")
                .process(exchange -> asset(exchange, "index.html"));

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
