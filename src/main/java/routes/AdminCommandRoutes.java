package routes;

import java.util.List;
import java.util.function.IntConsumer;
import kafkascale.Role;
import kafkascale.admin.AdminTables;
import kafkascale.kafka.KafkaAdmin;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The one-shot admin roles (topiclist, offsets, rmtopics): print the table to stdout and exit 0, or a
 * clear error to stderr and exit 1. The logic is the admin routes'; only the output differs.
 */
public final class AdminCommandRoutes extends EndpointRouteBuilder {

    private final Role role;
    private final KafkaAdmin admin;
    private final java.util.Map<String, String> groupOfTopic;
    private final IntConsumer exit;

    public AdminCommandRoutes(Role role, KafkaAdmin admin, java.util.Map<String, String> groupOfTopic, IntConsumer exit) {
        this.role = role;
        this.admin = admin;
        this.groupOfTopic = groupOfTopic;
        this.exit = exit;
    }

    @Override
    public void configure() {
        Settings settings = new Settings(getContext());
        from(timer("admin-command").repeatCount(1).delay(0))
                .routeId("admin-" + role.name().toLowerCase(java.util.Locale.ROOT))
                .process(exchange -> {
                    int code;
                    try {
                        System.out.print(run(settings));
                        System.out.flush();
                        code = 0;
                    } catch (RuntimeException e) {
                        System.err.println("error: " + e.getMessage());
                        code = 1;
                    }
                    exit.accept(code);
                });
    }

    private String run(Settings settings) {
        List<String> topics = kafkascale.census.SourcePlan.splitList(settings.text("admin.topic"));
        switch (role) {
            case TOPICLIST:
                return AdminTables.topics(admin.topics());
            case OFFSETS: {
                if (topics.size() != 1) {
                    throw new IllegalArgumentException("set TOPIC to one topic, e.g. TOPIC=compute");
                }
                String topic = topics.get(0);
                String group = settings.text("admin.group");
                if (group.isEmpty()) {
                    group = groupOfTopic.get(topic);
                }
                if (group == null) {
                    throw new IllegalArgumentException("no consumer group of this app reads " + topic + "; set GROUP");
                }
                return AdminTables.offsets(admin.offsets(topic, group));
            }
            case RMTOPICS: {
                if (topics.isEmpty()) {
                    throw new IllegalArgumentException("set TOPIC to the topics to delete, comma-separated");
                }
                boolean force = settings.flag("admin.force");
                StringBuilder out = new StringBuilder();
                for (String topic : topics) {
                    if (groupOfTopic.containsKey(topic) && !force) {
                        throw new IllegalArgumentException("topic " + topic + " is one the pipeline uses; set FORCE=true to delete it");
                    }
                }
                for (String topic : topics) {
                    admin.deleteTopic(topic);
                    out.append("deleted ").append(topic).append('\n');
                    if (groupOfTopic.containsKey(topic)) {
                        out.append("warning: if Strimzi manages ").append(topic)
                                .append(", its topic operator will re-create it; delete the KafkaTopic resource instead\n");
                    }
                }
                return out.toString();
            }
            default:
                throw new IllegalStateException("not a one-shot role: " + role);
        }
    }
}
