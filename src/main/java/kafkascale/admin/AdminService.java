package kafkascale.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafkascale.kafka.KafkaAdmin;
import kafkascale.kafka.KafkaAdmin.ClusterInfo;
import kafkascale.kafka.KafkaAdmin.OffsetsReport;
import kafkascale.kafka.KafkaAdmin.RejectedException;
import kafkascale.kafka.KafkaAdmin.TopicDetail;
import kafkascale.kafka.KafkaAdmin.TopicSummary;
import kafkascale.kafka.PipelineTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin rules, the same for the HTTP API and the one-shot roles: which group's lag a topic shows by
 * default, that the pipeline's own topics are deleted only with force, and the warning about Strimzi.
 */
public final class AdminService {

    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);
    static final String STRIMZI_WARNING = "if Strimzi manages this topic (a KafkaTopic resource), its topic operator"
            + " will re-create it; delete the KafkaTopic resource instead";

    /** The body of a topic creation: {@code {"name":..., "partitions":..., "replicationFactor":..., "configs":{...}}}. */
    public record NewTopicRequest(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
    }

    /** The body of a partition increase: {@code {"partitions": N}}. */
    public record NewPartitionsRequest(Integer partitions) {
    }

    /** One deleted topic, with a warning when it is one the pipeline uses. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TopicDeleted(String deleted, String warning) {
    }

    private final KafkaAdmin admin;
    private final PipelineTopics topics;

    public AdminService(KafkaAdmin admin, PipelineTopics topics) {
        this.admin = admin;
        this.topics = topics;
    }

    public List<TopicSummary> topics() {
        return admin.topics();
    }

    public TopicDetail topic(String name) {
        return admin.topic(required(name));
    }

    public ClusterInfo brokers() {
        return admin.cluster();
    }

    /** Offsets and lag of {@code topic} for {@code group}, by default the app's group that reads it. */
    public OffsetsReport offsets(String topic, String group) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("name one topic: /admin/offsets?topic=compute (or TOPIC=compute)");
        }
        if (group == null || group.isBlank()) {
            group = topics.groupOfTopic().get(topic);
            if (group == null) {
                throw new IllegalArgumentException("no consumer group of this app reads " + topic
                        + "; name one (&group=NAME or GROUP)");
            }
        }
        return admin.offsets(topic, group);
    }

    public TopicDetail createTopic(NewTopicRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("a JSON body is needed");
        }
        TopicDetail created = admin.createTopic(request.name(), request.partitions() == null ? 1 : request.partitions(),
                (short) (request.replicationFactor() == null ? 1 : (int) request.replicationFactor()),
                request.configs() == null ? Map.of() : request.configs());
        LOG.info("Admin: created topic {} ({} partitions)", created.name(), created.partitions().size());
        return created;
    }

    public TopicDetail addPartitions(String topic, NewPartitionsRequest request) {
        if (request == null || request.partitions() == null || request.partitions() < 1) {
            throw new IllegalArgumentException("give the new partition count: {\"partitions\": N}");
        }
        TopicDetail changed = admin.addPartitions(required(topic), request.partitions());
        LOG.info("Admin: topic {} now has {} partitions", topic, request.partitions());
        return changed;
    }

    /** Deletes one topic; a pipeline topic only with {@code force} ("true"; absent means false). */
    public TopicDeleted deleteTopic(String topic, String force) {
        return deleteTopics(List.of(required(topic)), Boolean.parseBoolean(force)).get(0);
    }

    /** Deletes the topics, refusing all of them if one is a pipeline topic and {@code force} is not set. */
    public List<TopicDeleted> deleteTopics(List<String> names, boolean force) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name the topics to delete (TOPIC=a,b)");
        }
        for (String topic : names) {
            if (topics.essential().contains(topic) && !force) {
                throw new RejectedException("topic " + topic + " is one the pipeline uses; delete it with force"
                        + " (?force=true, or FORCE=true)", true);
            }
        }
        List<TopicDeleted> deleted = new ArrayList<>();
        for (String topic : names) {
            admin.deleteTopic(topic);
            LOG.warn("Admin: deleted topic {}", topic);
            deleted.add(new TopicDeleted(topic, topics.essential().contains(topic) ? STRIMZI_WARNING : null));
        }
        return deleted;
    }

    private static String required(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("no topic named");
        }
        return topic;
    }
}
