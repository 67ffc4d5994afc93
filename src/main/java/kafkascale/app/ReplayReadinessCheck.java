package kafkascale.app;

import java.util.Map;
import kafkascale.results.ReplayProgress;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a role that serves results: DOWN until its replay of the results topic has reached the
 * end offsets the topic had at start (see {@link ReplayProgress}), so two replicas behind one Service
 * never answer from a half-rebuilt state. Roles that serve no results are always ready by this check.
 */
public final class ReplayReadinessCheck extends AbstractHealthCheck {

    private final CamelContext context;
    private final boolean serves;

    public ReplayReadinessCheck(CamelContext context, boolean serves) {
        super("kafka-scale", "results-replay");
        this.context = context;
        this.serves = serves;
    }

    @Override
    public boolean isLiveness() {
        return false; // a replay in progress is not a reason to restart the pod
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!serves) {
            builder.up();
            return;
        }
        ReplayProgress replay = context.getRegistry().lookupByNameAndType("replayProgress", ReplayProgress.class);
        builder.detail("replay", replay.describe());
        if (replay.caughtUp()) {
            builder.up();
        } else {
            builder.message("replaying the results topic").down();
        }
    }
}
