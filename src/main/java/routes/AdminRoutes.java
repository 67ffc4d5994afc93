package routes;

import kafkascale.admin.AdminService.NewPartitionsRequest;
import kafkascale.admin.AdminService.NewTopicRequest;
import kafkascale.admin.AdminTables;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.model.rest.RestParamType;

/**
 * The admin HTTP API on the business port: topics, offsets and lag, brokers; topic changes need the
 * admin bearer token. Answers JSON, or with {@code Accept: text/plain} the tables the Go original
 * printed. Its OpenAPI document is served at /admin/openapi.json. The rules are the
 * {@code adminService} bean's, the same the one-shot roles use.
 */
public class AdminRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        restConfiguration().component("platform-http")
                // separate routes, so each carries the admin error handling (admin-errors)
                .inlineRoutes(false)
                .apiContextPath("/admin/openapi.json")
                .apiProperty("api.title", "kafka-scale admin")
                .apiProperty("api.version", "1");

        rest("/admin").description("Kafka topics, offsets and lag, brokers")
                .get("/topics").routeId("admin-rest-topics").description("All topics")
                    .to("direct:admin-topics")
                .post("/topics").routeId("admin-rest-create-topic").description("Create a topic (bearer token)")
                    .type(NewTopicRequest.class)
                    .to("direct:admin-create-topic")
                .get("/topics/{topic}").routeId("admin-rest-topic").description("One topic: partitions and configs")
                    .to("direct:admin-topic")
                .delete("/topics/{topic}").routeId("admin-rest-delete-topic")
                    .description("Delete a topic (bearer token; force=true for the pipeline's own)")
                    .param().name("force").type(RestParamType.query).dataType("boolean").required(false).endParam()
                    .to("direct:admin-delete-topic")
                .post("/topics/{topic}/partitions").routeId("admin-rest-partitions")
                    .description("Raise the partition count (bearer token)")
                    .type(NewPartitionsRequest.class)
                    .to("direct:admin-partitions")
                .get("/offsets").routeId("admin-rest-offsets")
                    .description("Committed offset, log end and lag per partition of a topic for a group")
                    .param().name("topic").type(RestParamType.query).required(true).endParam()
                    .param().name("group").type(RestParamType.query).required(false).endParam()
                    .to("direct:admin-offsets")
                .get("/brokers").routeId("admin-rest-brokers").description("The cluster's brokers")
                    .to("direct:admin-brokers");

        from(direct("admin-topics")).routeId("admin-topics").routeConfigurationId("admin-errors")
                .setBody(method("adminService", "topics"))
                .to(direct("admin-respond"));

        from(direct("admin-topic")).routeId("admin-topic").routeConfigurationId("admin-errors")
                .setBody(method("adminService", "topic(${header.topic})"))
                .to(direct("admin-respond"));

        from(direct("admin-offsets")).routeId("admin-offsets").routeConfigurationId("admin-errors")
                .setBody(method("adminService", "offsets(${header.topic}, ${header.group})"))
                .to(direct("admin-respond"));

        from(direct("admin-brokers")).routeId("admin-brokers").routeConfigurationId("admin-errors")
                .setBody(method("adminService", "brokers"))
                .to(direct("admin-respond"));

        from(direct("admin-create-topic")).routeId("admin-create-topic").routeConfigurationId("admin-errors")
                .bean("adminGuard", "require(${header.Authorization})")
                .unmarshal().json(NewTopicRequest.class)
                .setBody(method("adminService", "createTopic"))
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                .to(direct("admin-respond"));

        from(direct("admin-partitions")).routeId("admin-partitions").routeConfigurationId("admin-errors")
                .bean("adminGuard", "require(${header.Authorization})")
                .unmarshal().json(NewPartitionsRequest.class)
                .setBody(method("adminService", "addPartitions(${header.topic}, ${body})"))
                .to(direct("admin-respond"));

        from(direct("admin-delete-topic")).routeId("admin-delete-topic").routeConfigurationId("admin-errors")
                .bean("adminGuard", "require(${header.Authorization})")
                .setBody(method("adminService", "deleteTopic(${header.topic}, ${header.force})"))
                .to(direct("admin-respond"));

        // JSON, or the plain-text table when the caller asks for text/plain only
        from(direct("admin-respond")).routeId("admin-respond")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE, "Accept")
                .choice()
                    .when(simple("${header.Accept} contains 'text/plain' && ${header.Accept} !contains 'application/json'"))
                        .setBody(method(AdminTables.class, "render"))
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; charset=utf-8"))
                    .otherwise()
                        .marshal().json()
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .end()
                .removeHeader("Accept");
    }
}
