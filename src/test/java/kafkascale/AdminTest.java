package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafkascale.support.TestKafka;
import kafkascale.support.RunningApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin routes and one-shot roles against a real broker, including every error path and the token rules. */
class AdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-admin-token";

    static TestKafka broker;
    static RunningApp app;

    @BeforeAll
    static void start() throws Exception {
        broker = TestKafka.start();
        app = RunningApp.start(settings("results", Map.of("admin.token", TOKEN)));
        app.await("/progress", p -> true, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    static Map<String, String> settings(String role, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of(
                "kafka-scale.role", role,
                "kafka.brokers", broker.bootstrapServers(),
                "kafka.compute-topic", "adm-compute",
                "kafka.results-topic", "adm-results"));
        s.putAll(extra);
        return s;
    }

    static HttpResponse<String> request(RunningApp target, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return target.send(b);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static List<String> topicNames() throws Exception {
        List<String> names = new ArrayList<>();
        json(request(app, "GET", "/admin/topics", null, null)).forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void createDescribeGrowAndDeleteATopic() throws Exception {
        HttpResponse<String> created = request(app, "POST", "/admin/topics", TOKEN,
                "{\"name\":\"adm-new\",\"partitions\":3,\"replicationFactor\":1,\"configs\":{\"retention.ms\":\"3600000\"}}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(topicNames().contains("adm-new"));

        JsonNode topic = json(request(app, "GET", "/admin/topics/adm-new", null, null));
        assertEquals(3, topic.get("partitions").size());
        assertEquals("3600000", topic.get("configs").get("retention.ms").asText());
        assertEquals(1, topic.get("partitions").get(0).get("leader").asInt());

        HttpResponse<String> grown = request(app, "POST", "/admin/topics/adm-new/partitions", TOKEN, "{\"partitions\":5}");
        assertEquals(200, grown.statusCode(), grown.body());
        assertEquals(5, json(request(app, "GET", "/admin/topics/adm-new", null, null)).get("partitions").size());
        assertEquals(400, request(app, "POST", "/admin/topics/adm-new/partitions", TOKEN, "{\"partitions\":2}").statusCode());
        assertEquals(409, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"adm-new\",\"partitions\":1}").statusCode());

        HttpResponse<String> table = app.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port + "/admin/topics"))
                .header("Accept", "text/plain").GET());
        assertTrue(table.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(table.body().startsWith("TOPIC"), table.body());
        assertTrue(table.body().lines().anyMatch(l -> l.matches("adm-new\\s+5\\s+1\\s+1,1,1,1,1")), table.body());

        assertEquals(200, request(app, "DELETE", "/admin/topics/adm-new", TOKEN, null).statusCode());
        awaitGone("adm-new");
        assertEquals(404, request(app, "GET", "/admin/topics/adm-new", null, null).statusCode());
    }

    @Test
    void offsetsAndLagAfterProducingNAndConsumingM() throws Exception {
        assertEquals(201, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"adm-lag\",\"partitions\":3}").statusCode());
        int produced = 25;
        int consumed = 10;
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < produced; i++) {
                producer.send(new ProducerRecord<>("adm-lag", i % 3, null, "record " + i));
            }
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("group.id", "adm-group");
        c.put("enable.auto.commit", "false");
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("adm-lag", 0), new TopicPartition("adm-lag", 1), new TopicPartition("adm-lag", 2)));
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            int taken = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (taken < consumed && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    // take records only in order within each partition, M in all
                    if (taken < consumed && commit.getOrDefault(tp, new OffsetAndMetadata(0)).offset() == r.offset()) {
                        commit.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        taken++;
                    }
                }
                consumer.seekToBeginning(consumer.assignment());
                commit.forEach(consumer::seek);
            }
            consumer.commitSync(commit);
        }
        JsonNode report = json(request(app, "GET", "/admin/offsets?topic=adm-lag&group=adm-group", null, null));
        assertEquals(produced, report.get("totalLogEnd").asLong());
        assertEquals(consumed, report.get("totalCommitted").asLong());
        assertEquals(produced - consumed, report.get("totalLag").asLong());
        long sumLag = 0;
        for (JsonNode partition : report.get("partitions")) {
            sumLag += partition.get("lag").asLong();
        }
        assertEquals(produced - consumed, sumLag);

        // the app's own group is the default for its topics
        JsonNode results = json(request(app, "GET", "/admin/offsets?topic=adm-results", null, null));
        assertEquals("kafka-scale-results", results.get("group").asText());
        String text = app.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port
                + "/admin/offsets?topic=adm-lag&group=adm-group")).header("Accept", "text/plain").GET()).body();
        assertTrue(text.lines().anyMatch(l -> l.matches("TOTAL\\s+10\\s+25\\s+15")), text);
    }

    @Test
    void brokersAreListedWithTheController() throws Exception {
        JsonNode cluster = json(request(app, "GET", "/admin/brokers", null, null));
        assertEquals(1, cluster.get("brokers").size());
        assertEquals("127.0.0.1", cluster.get("brokers").get(0).get("host").asText());
        assertEquals(1, cluster.get("controller").asInt());
    }

    @Test
    void errorPathsAnswerWithTheirStatus() throws Exception {
        HttpResponse<String> unknown = request(app, "GET", "/admin/topics/no-such-topic", null, null);
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().contains("no such topic"), unknown.body());
        assertEquals(404, request(app, "GET", "/admin/offsets?topic=no-such-topic&group=g", null, null).statusCode());
        assertEquals(400, request(app, "GET", "/admin/offsets", null, null).statusCode());
        assertEquals(400, request(app, "GET", "/admin/offsets?topic=__consumer_offsets", null, null).statusCode());
        assertEquals(400, request(app, "POST", "/admin/topics", TOKEN, "not json").statusCode());
        assertEquals(400, request(app, "POST", "/admin/topics", TOKEN, "{\"partitions\":2}").statusCode());
        assertEquals(400, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"x\",\"partitions\":0}").statusCode());
        assertEquals(405, request(app, "PUT", "/admin/topics", TOKEN, "{}").statusCode());
        assertEquals(413, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"" + "x".repeat(70_000) + "\"}").statusCode());
    }

    @Test
    void deletingAPipelineTopicNeedsForceAndWarnsAboutStrimzi() throws Exception {
        assertTrue(topicNames().contains("adm-results"));
        HttpResponse<String> refused = request(app, "DELETE", "/admin/topics/adm-results", TOKEN, null);
        assertEquals(409, refused.statusCode());
        assertTrue(topicNames().contains("adm-results"));
        assertEquals(201, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"adm-compute\",\"partitions\":2}").statusCode());
        HttpResponse<String> forced = request(app, "DELETE", "/admin/topics/adm-compute?force=true", TOKEN, null);
        assertEquals(200, forced.statusCode(), forced.body());
        assertTrue(json(forced).get("warning").asText().contains("Strimzi"));
        awaitGone("adm-compute");
    }

    @Test
    void withoutTheRightTokenNothingChanges() throws Exception {
        assertEquals(401, request(app, "POST", "/admin/topics", null, "{\"name\":\"adm-sneaky\",\"partitions\":1}").statusCode());
        assertEquals(401, request(app, "POST", "/admin/topics", "wrong", "{\"name\":\"adm-sneaky\",\"partitions\":1}").statusCode());
        assertEquals(401, request(app, "DELETE", "/admin/topics/adm-results?force=true", "wrong", null).statusCode());
        assertEquals(401, request(app, "POST", "/admin/topics/adm-results/partitions", TOKEN + "x", "{\"partitions\":4}").statusCode());
        assertFalse(topicNames().contains("adm-sneaky"));
        assertTrue(topicNames().contains("adm-results"));
        assertEquals(1, json(request(app, "GET", "/admin/topics/adm-results", null, null)).get("partitions").size());
    }

    @Test
    void oneShotRolesPrintTablesAndExitWithAStatus() throws Exception {
        assertEquals(201, request(app, "POST", "/admin/topics", TOKEN, "{\"name\":\"adm-oneshot\",\"partitions\":2}").statusCode());
        Outcome list = runOneShot(Map.of("kafka-scale.role", "topiclist"));
        assertEquals(0, list.code);
        assertTrue(list.out.startsWith("TOPIC"), list.out);
        assertTrue(list.out.contains("adm-oneshot"), list.out);

        Outcome offsets = runOneShot(Map.of("kafka-scale.role", "offsets", "admin.topic", "adm-results"));
        assertEquals(0, offsets.code);
        assertTrue(offsets.out.contains("group: kafka-scale-results") && offsets.out.contains("TOTAL"), offsets.out);

        Outcome refused = runOneShot(Map.of("kafka-scale.role", "rmtopics", "admin.topic", "adm-oneshot,adm-results"));
        assertEquals(1, refused.code, "a pipeline topic needs FORCE=true");
        assertTrue(topicNames().contains("adm-oneshot"), "nothing deleted when refused");

        Outcome removed = runOneShot(Map.of("kafka-scale.role", "rmtopics", "admin.topic", "adm-oneshot"));
        assertEquals(0, removed.code);
        assertTrue(removed.out.contains("deleted adm-oneshot"));
        awaitGone("adm-oneshot");

        assertEquals(1, runOneShot(Map.of("kafka-scale.role", "offsets")).code, "offsets needs TOPIC");
    }

    private record Outcome(int code, String out) {
    }

    /** Runs a one-shot role in this JVM, as `java -jar` would, capturing what it prints on stdout. */
    private static Outcome runOneShot(Map<String, String> roleSettings) throws Exception {
        Properties overrides = new Properties();
        overrides.putAll(settings("topiclist", roleSettings));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = KafkaScaleApplication.create(overrides).run(new String[0]);
        } finally {
            System.setOut(original);
        }
        return new Outcome(code, captured.toString(StandardCharsets.UTF_8));
    }

    private static void awaitGone(String topic) throws Exception {
        for (int i = 0; i < 50 && topicNames().contains(topic); i++) {
            Thread.sleep(100);
        }
        assertFalse(topicNames().contains(topic), topic + " still listed");
    }
}
