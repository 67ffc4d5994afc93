package kafkascale.admin;

import java.io.PrintStream;
import java.util.List;
import kafkascale.Role;
import kafkascale.census.SourcePlan;

/**
 * The one-shot admin roles (topiclist, offsets, rmtopics): run one command, print its table to stdout
 * and answer exit code 0, or print a clear error to stderr and answer 1.
 */
public final class AdminCommands {

    private final Role role;
    private final AdminService admin;
    private final String topic;
    private final String group;
    private final boolean force;
    private final PrintStream out;
    private final PrintStream err;

    /** @param topic TOPIC (comma-separated for rmtopics); @param group GROUP; @param force FORCE */
    public AdminCommands(Role role, AdminService admin, String topic, String group, boolean force,
                         PrintStream out, PrintStream err) {
        this.role = role;
        this.admin = admin;
        this.topic = topic;
        this.group = group;
        this.force = force;
        this.out = out;
        this.err = err;
    }

    /** Runs the role's command; returns the process exit code. */
    public int run() {
        try {
            out.print(output());
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private String output() {
        List<String> topics = SourcePlan.splitList(topic);
        return switch (role) {
            case TOPICLIST -> AdminTables.topics(admin.topics());
            case OFFSETS -> {
                if (topics.size() != 1) {
                    throw new IllegalArgumentException("set TOPIC to one topic, e.g. TOPIC=compute");
                }
                yield AdminTables.offsets(admin.offsets(topics.get(0), group));
            }
            case RMTOPICS -> AdminTables.deleted(admin.deleteTopics(topics, force));
            default -> throw new IllegalStateException("not a one-shot role: " + role);
        };
    }
}
