package kafkascale.app;

import org.apache.camel.CamelContext;

/**
 * The routes that read the role's topics (its Kafka consumers, the results replay's target) are
 * declared in {@link #GROUP} with auto-startup off; the topic-setup route starts them once the topics
 * exist. Why: a consumer group that forms before its topic exists gets no partitions, and when the
 * topic appears its other members hear of the rebalance only at their next heartbeat (3 s by default),
 * so in {@code all} compute sat idle for the first seconds of a run; and the replay target, asked of a
 * missing topic, waited out a 10 s redelivery before the results role could turn ready.
 */
public final class TopicDependentRoutes {

    public static final String GROUP = "after-topic-setup";

    private final CamelContext context;

    public TopicDependentRoutes(CamelContext context) {
        this.context = context;
    }

    /** Starts every route of {@link #GROUP} this role has (none in the read role). */
    public void start() throws Exception {
        context.getRouteController().startRouteGroup(GROUP);
    }
}
