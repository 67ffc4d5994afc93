package routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The results page: a static page from the jar (the {@code pageAssets} bean) that draws /results,
 * /progress and /admin/offsets.
 */
public class PageRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        // Vert.x matches "/" as a prefix of every path, so this route starts after every other route
        // has registered its path, and answers only "/" itself; anything no other route took is a 404.
        from(platformHttp("/").httpMethodRestrict("GET"))
                .routeId("page-index")
                .startupOrder(100_000)
                .setBody(method("pageAssets", "index(${header.CamelHttpPath})"))
                .to(direct("page-respond"));

        from(platformHttp("/ui/settings").httpMethodRestrict("GET"))
                .routeId("page-settings")
                .setBody(simple("{\"computeTopic\":\"{{kafka.compute-topic}}\",\"resultsTopic\":\"{{kafka.results-topic}}\"}"))
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        // after /ui/settings: the first matching route wins
        from(platformHttp("/ui/{file}").httpMethodRestrict("GET"))
                .routeId("page-asset")
                .setBody(method("pageAssets", "asset(${header.file})"))
                .to(direct("page-respond"));

        from(direct("page-respond"))
                .routeId("page-respond")
                .removeHeaders("*")
                .choice()
                    .when(body().isNull())
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                        .setBody(constant("not found"))
                    .otherwise()
                        .setHeader(Exchange.CONTENT_TYPE, simple("${body.contentType()}"))
                        .setBody(simple("${body.text()}"))
                .end();
    }
}
