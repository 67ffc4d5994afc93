package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kafkascale.kafka.EmbeddedKafkaBroker;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses every manifest under kubernetes/ (fabric8's typed model for Kubernetes kinds, plain YAML
 * for the Strimzi, KEDA and Prometheus Operator resources) and cross-checks it against the app.
 */
class ManifestTest {

    private static final Path ROOT = Path.of("kubernetes");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern ENV_SETTING = Pattern.compile("^([\\w.-]+)\\s*=\\s*\\{\\{env:(\\w+):(.*)}}\\s*$");

    static List<JsonNode> documents = new ArrayList<>();
    static Map<String, String> appDefaultsByEnv = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                        if (doc != null && !doc.isEmpty()) {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("_file", file.toString());
                            documents.add(doc);
                        }
                    });
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            Matcher m = ENV_SETTING.matcher(line.trim());
            if (m.matches()) {
                appDefaultsByEnv.put(m.group(2), m.group(3));
            }
        }
        assertTrue(appDefaultsByEnv.containsKey("CAMEL_ROLE"));
    }

    static List<JsonNode> kind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static <T> T typed(JsonNode doc, Class<T> type) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode copy = doc.deepCopy();
        copy.remove("_file");
        return new ObjectMapper().treeToValue(copy, type);
    }

    static List<PodTemplateSpec> podTemplates() throws Exception {
        List<PodTemplateSpec> templates = new ArrayList<>();
        for (JsonNode d : kind("Deployment")) {
            templates.add(typed(d, Deployment.class).getSpec().getTemplate());
        }
        for (JsonNode j : kind("Job")) {
            templates.add(typed(j, Job.class).getSpec().getTemplate());
        }
        return templates;
    }

    static Map<String, String> sharedConfig() throws Exception {
        List<JsonNode> maps = kind("ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText()
                .equals("kafka-scale-config")).toList();
        assertEquals(1, maps.size(), "one ConfigMap holds the shared settings");
        return typed(maps.get(0), ConfigMap.class).getData();
    }

    static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>kafka-scale</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void everyKustomizationNamesFilesThatExist() throws Exception {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path k : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                JsonNode kustomization = YAML.readTree(k.toFile());
                for (String field : List.of("resources", "components")) {
                    for (JsonNode entry : kustomization.path(field)) {
                        assertTrue(Files.exists(k.getParent().resolve(entry.asText())), k + " names missing " + entry.asText());
                    }
                }
            }
        }
        assertFalse(documents.isEmpty());
        for (JsonNode doc : documents) {
            assertFalse(doc.path("apiVersion").asText().isEmpty(), doc.get("_file") + " has no apiVersion");
            assertFalse(doc.path("kind").asText().isEmpty(), doc.get("_file") + " has no kind");
        }
    }

    @Test
    void everyRoleIsARealRoleAndEveryEnvVarIsOneTheAppReads() throws Exception {
        Set<String> roles = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (PodTemplateSpec template : podTemplates()) {
            for (Container c : template.getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (env.getName().equals("CAMEL_ROLE")) {
                        roles.add(env.getValue());
                        Role.parse(env.getValue());
                    } else if (!appDefaultsByEnv.containsKey(env.getName()) && !env.getName().equals("JAVA_TOOL_OPTIONS")) {
                        unknown.add(env.getName()); // JAVA_TOOL_OPTIONS is read by the JVM itself
                    }
                }
            }
        }
        for (String key : sharedConfig().keySet()) {
            if (!appDefaultsByEnv.containsKey(key)) {
                unknown.add(key);
            }
        }
        assertEquals(Set.of("read", "compute", "results"), roles);
        assertEquals(Set.of(), unknown, "environment variables the app does not read");
    }

    @Test
    void topicsPartitionsAndGroupsMatchTheApp() throws Exception {
        Map<String, String> config = sharedConfig();
        assertEquals(appDefaultsByEnv.get("COMPUTE_TOPIC"), config.get("COMPUTE_TOPIC"));
        assertEquals(appDefaultsByEnv.get("RESULTS_TOPIC"), config.get("RESULTS_TOPIC"));
        assertEquals(appDefaultsByEnv.get("COMPUTE_GROUP"), config.get("COMPUTE_GROUP"));
        assertEquals(appDefaultsByEnv.get("RESULTS_GROUP"), config.get("RESULTS_GROUP"));
        assertEquals(appDefaultsByEnv.get("COMPUTE_PARTITIONS"), config.get("COMPUTE_PARTITIONS"));
        int partitions = Integer.parseInt(config.get("COMPUTE_PARTITIONS"));

        Map<String, JsonNode> topics = new HashMap<>();
        kind("KafkaTopic").forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t.path("spec")));
        assertEquals(Set.of(config.get("COMPUTE_TOPIC"), config.get("RESULTS_TOPIC")), topics.keySet());
        assertEquals(partitions, topics.get(config.get("COMPUTE_TOPIC")).path("partitions").asInt());
        assertEquals(Integer.parseInt(config.get("RESULTS_PARTITIONS")), topics.get(config.get("RESULTS_TOPIC")).path("partitions").asInt());
        assertEquals(Integer.parseInt(config.get("COMPUTE_REPLICATION")), topics.get(config.get("COMPUTE_TOPIC")).path("replicas").asInt());
        for (JsonNode t : topics.values()) {
            assertEquals("2", t.path("config").path("min.insync.replicas").asText());
        }

        List<JsonNode> scaled = kind("ScaledObject");
        assertEquals(1, scaled.size());
        JsonNode keda = scaled.get(0).path("spec");
        assertEquals("compute", keda.path("scaleTargetRef").path("name").asText());
        assertTrue(keda.path("maxReplicaCount").asInt() <= partitions, "more compute replicas than partitions would idle");
        assertTrue(keda.path("minReplicaCount").asInt() >= 1);
        JsonNode trigger = keda.path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals(config.get("COMPUTE_GROUP"), trigger.path("metadata").path("consumerGroup").asText());
        assertEquals(config.get("COMPUTE_TOPIC"), trigger.path("metadata").path("topic").asText());
        assertEquals(config.get("KAFKA_BROKERS"), trigger.path("metadata").path("bootstrapServers").asText());

        HorizontalPodAutoscaler hpa = typed(kind("HorizontalPodAutoscaler").get(0), HorizontalPodAutoscaler.class);
        assertEquals("compute", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMaxReplicas() <= partitions);

        JsonNode kafka = kind("Kafka").get(0).path("spec").path("kafka").path("config");
        assertEquals(3, kafka.path("default.replication.factor").asInt());
        assertEquals(2, kafka.path("min.insync.replicas").asInt());
        JsonNode pool = kind("KafkaNodePool").get(0).path("spec");
        assertEquals(3, pool.path("replicas").asInt());
        assertTrue(pool.path("roles").toString().contains("controller") && pool.path("roles").toString().contains("broker"));
    }

    @Test
    void imagesFollowThePomVersion() throws Exception {
        String version = pomVersion();
        for (PodTemplateSpec template : podTemplates()) {
            for (Container c : template.getSpec().getContainers()) {
                assertTrue(c.getImage().endsWith(":" + version), c.getImage() + " is not tagged " + version);
            }
        }
        JsonNode kustomization = YAML.readTree(ROOT.resolve("app/kustomization.yaml").toFile());
        assertEquals(version, kustomization.path("images").get(0).path("newTag").asText());
        assertTrue(Files.readString(Path.of("Dockerfile")).contains("kafka-scale:" + version));
    }

    @Test
    void portsProbesAndServicesFitTogether() throws Exception {
        Map<String, String> config = sharedConfig();
        assertEquals(appDefaultsByEnv.get("HTTP_PORT"), config.get("HTTP_PORT"));
        assertEquals(appDefaultsByEnv.get("MANAGEMENT_PORT"), config.get("MANAGEMENT_PORT"));
        Set<String> podLabels = new HashSet<>();
        for (PodTemplateSpec template : podTemplates()) {
            for (Container c : template.getSpec().getContainers()) {
                Map<String, Integer> ports = new HashMap<>();
                for (ContainerPort p : c.getPorts()) {
                    ports.put(p.getName(), p.getContainerPort());
                }
                assertEquals(Integer.parseInt(config.get("HTTP_PORT")), ports.get("http"));
                assertEquals(Integer.parseInt(config.get("MANAGEMENT_PORT")), ports.get("management"));
                assertTrue(c.getResources().getLimits().containsKey("memory") && c.getResources().getRequests().containsKey("cpu"));
                for (Probe probe : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe()}) {
                    if (probe != null) {
                        assertEquals("management", probe.getHttpGet().getPort().getStrVal());
                    }
                }
            }
            podLabels.add(template.getMetadata().getLabels().get("app.kubernetes.io/component"));
            assertTrue(template.getSpec().getTerminationGracePeriodSeconds() > 30, "longer than Camel's shutdown timeout");
        }
        for (JsonNode s : kind("Service")) {
            Service service = typed(s, Service.class);
            assertTrue(podLabels.contains(service.getSpec().getSelector().get("app.kubernetes.io/component")));
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
        Deployment compute = typed(kind("Deployment").stream()
                .filter(d -> d.path("metadata").path("name").asText().equals("compute")).findFirst().orElseThrow(), Deployment.class);
        assertEquals(2, compute.getSpec().getReplicas());
    }

    @Test
    void probeAndMetricsPathsAreServedByTheApp() throws Exception {
        Set<String> paths = new TreeSet<>();
        for (PodTemplateSpec template : podTemplates()) {
            for (Container c : template.getSpec().getContainers()) {
                if (c.getLivenessProbe() != null) {
                    paths.add(c.getLivenessProbe().getHttpGet().getPath());
                    paths.add(c.getReadinessProbe().getHttpGet().getPath());
                }
            }
        }
        String metricsPath = kind("PodMonitor").get(0).path("spec").path("podMetricsEndpoints").get(0).path("path").asText();
        paths.add(metricsPath);
        assertEquals(Set.of("/observe/health/live", "/observe/health/ready", "/observe/metrics"), paths);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
             RunningApp app = RunningApp.start(Map.of("kafka-scale.role", "results", "kafka.brokers", broker.bootstrapServers(),
                     "kafka.results-topic", "manifest-results"))) {
            app.await("/progress", p -> true, Duration.ofSeconds(30));
            for (String path : paths) {
                int status = 0;
                for (int i = 0; i < 50 && status != 200; i++) {
                    status = app.management(path).statusCode();
                    Thread.sleep(200);
                }
                assertEquals(200, status, path);
            }
            assertTrue(app.management(metricsPath).body().contains("kafka_scale_result_messages_read_total"));
        }
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboard() throws Exception {
        JsonNode map = kind("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().equals("kafka-scale-dashboard")).findFirst().orElseThrow();
        assertEquals("1", map.path("metadata").path("labels").path("grafana_dashboard").asText());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Files.readString(Path.of("dashboards/kafka-scale.json"))),
                json.readTree(map.path("data").path("kafka-scale.json").asText()),
                "kubernetes/app/grafana-dashboard.yaml differs from dashboards/kafka-scale.json: copy it again");
    }
}
