package routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * Watch it scale: samples the compute consumer group every {{scaling.sample-interval-ms}} into the
 * bean bound as {@value #SAMPLER} (a kafkascale.scaling.ComputeGroupSampler) and serves its window
 * as JSON on GET /scaling for the results page.
 */
public class ScalingRoutes extends EndpointRouteBuilder {

    /** Registry name of the sampler bean (see KafkaScaleConfiguration). */
    static final String SAMPLER = "computeGroupSampler";

    @Override
    public void configure() {
        // the sampler never throws and bounds its own Kafka calls below the interval
        from(timer("scaling-sample").period("{{scaling.sample-interval-ms}}"))
                .routeId("scaling-sample")
                .bean(SAMPLER, "sample");

        from(platformHttp("/scaling").httpMethodRestrict("GET"))
                .routeId("scaling-http")
                .setBody(method(SAMPLER, "view"))
                .removeHeaders("*")
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }
}
