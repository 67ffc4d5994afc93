package routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kafkascale.admin.AdminGuard;
import kafkascale.admin.AdminTables;
import kafkascale.kafka.KafkaAdmin;
import kafkascale.kafka.KafkaAdmin.RejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin routes' steps: call the AdminClient, answer JSON or (Accept: text/plain) the aligned tables. */
public final class AdminSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSupport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaAdmin admin;
    private final AdminGuard guard;
    private final Map<String, String> groupOfTopic;
    private final Set<String> pipelineTopics;

    public AdminSupport(KafkaAdmin admin, AdminGuard guard, Map<String, String> groupOfTopic) {
        this.admin = admin;
        this.guard = guard;
        this.groupOfTopic = groupOfTopic;
        this.pipelineTopics = groupOfTopic.keySet();
    }

    public void listTopics(Exchange exchange) {
        var topics = admin.topics();
        respond(exchange, 200, topics, () -> AdminTables.topics(topics));
    }

    public void describeTopic(Exchange exchange) {
        var topic = admin.topic(topicParameter(exchange));
        respond(exchange, 200, topic, () -> AdminTables.topic(topic));
    }

    public void offsets(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("topic", String.class);
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("name the topic: /admin/offsets?topic=compute");
        }
        String group = exchange.getMessage().getHeader("group", String.class);
        if (group == null || group.isBlank()) {
            group = groupOfTopic.get(topic);
            if (group == null) {
                throw new IllegalArgumentException("no consumer group of this app reads " + topic + "; add &group=NAME");
            }
        }
        var report = admin.offsets(topic, group);
        respond(exchange, 200, report, () -> AdminTables.offsets(report));
    }

    public void brokers(Exchange exchange) {
        var cluster = admin.cluster();
        respond(exchange, 200, cluster, () -> AdminTables.cluster(cluster));
    }

    public void createTopic(Exchange exchange) throws JsonProcessingException {
        if (!authorized(exchange)) {
            return;
        }
        JsonNode body = body(exchange);
        Map<String, String> configs = new LinkedHashMap<>();
        body.path("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
        var created = admin.createTopic(body.path("name").asText(null), body.path("partitions").asInt(1),
                (short) body.path("replicationFactor").asInt(1), configs);
        LOG.info("Admin: created topic {} ({} partitions)", created.name(), created.partitions().size());
        respond(exchange, 201, created, () -> AdminTables.topic(created));
    }

    public void addPartitions(Exchange exchange) throws JsonProcessingException {
        if (!authorized(exchange)) {
            return;
        }
        String topic = topicParameter(exchange);
        JsonNode body = body(exchange);
        int count = body.path("partitions").asInt(-1);
        if (count < 1) {
            throw new IllegalArgumentException("give the new partition count: {\"partitions\": N}");
        }
        var changed = admin.addPartitions(topic, count);
        LOG.info("Admin: topic {} now has {} partitions", topic, count);
        respond(exchange, 200, changed, () -> AdminTables.topic(changed));
    }

    public void deleteTopic(Exchange exchange) {
        if (!authorized(exchange)) {
            return;
        }
        String topic = topicParameter(exchange);
        boolean force = Boolean.parseBoolean(exchange.getMessage().getHeader("force", "false", String.class));
        if (pipelineTopics.contains(topic) && !force) {
            throw new RejectedException("topic " + topic + " is one the pipeline uses; add ?force=true to delete it", true);
        }
        admin.deleteTopic(topic);
        LOG.warn("Admin: deleted topic {}", topic);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deleted", topic);
        if (pipelineTopics.contains(topic)) {
            answer.put("warning", "if Strimzi manages this topic (a KafkaTopic resource), its topic operator will re-create it;"
                    + " delete the KafkaTopic resource instead");
        }
        respond(exchange, 200, answer, () -> "deleted " + topic + (answer.containsKey("warning") ? "\nwarning: " + answer.get("warning") : "") + "\n");
    }

    /** Maps an exception from the admin calls to its status and a clear message. */
    public void fail(Exchange exchange, int status) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof RejectedException rejected && rejected.conflict()) {
            status = 409;
        }
        String message = e == null ? "error" : e.getMessage();
        if (status >= 500) {
            LOG.warn("Admin request failed: {}", message);
        }
        Map<String, Object> error = Map.of("error", message == null ? e.getClass().getSimpleName() : message, "status", status);
        respond(exchange, status, error, () -> "error: " + error.get("error") + "\n");
    }

    public void methodNotAllowed(Exchange exchange) {
        respond(exchange, 405, Map.of("error", "method not allowed", "status", 405), () -> "error: method not allowed\n");
    }

    private boolean authorized(Exchange exchange) {
        AdminGuard.Verdict verdict = guard.check(exchange.getMessage().getHeader("Authorization", String.class));
        if (verdict == AdminGuard.Verdict.ALLOWED) {
            return true;
        }
        String message = verdict == AdminGuard.Verdict.NO_TOKEN_CONFIGURED
                ? "topic changes are disabled: set ADMIN_TOKEN to enable them"
                : "missing or wrong bearer token";
        LOG.warn("Admin: refused {} {} ({})", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH), message);
        respond(exchange, verdict.status, Map.of("error", message, "status", verdict.status), () -> "error: " + message + "\n");
        return false;
    }

    private static String topicParameter(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("topic", String.class);
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("no topic named in the path");
        }
        return topic;
    }

    private static JsonNode body(Exchange exchange) throws JsonProcessingException {
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a JSON body is needed");
        }
        JsonNode node = JSON.readTree(text);
        if (!node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return node;
    }

    private static void respond(Exchange exchange, int status, Object json, java.util.function.Supplier<String> text) {
        Message message = exchange.getMessage();
        String accept = message.getHeader("Accept", "", String.class);
        boolean plain = accept.contains("text/plain") && !accept.contains("application/json");
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (plain) {
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(text.get());
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            try {
                message.setBody(JSON.writeValueAsString(json));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
