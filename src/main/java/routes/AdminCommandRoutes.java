package routes;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The one-shot admin roles (topiclist, offsets, rmtopics): run the command once, print its table to
 * stdout (or a clear error to stderr) and end the JVM with its exit code.
 */
public class AdminCommandRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        from(timer("admin-command").repeatCount(1).delay(0))
                .routeId("admin-command-run")
                .setBody(method("adminCommands", "run"))
                .bean("appExit", "accept(${body})");
    }
}
