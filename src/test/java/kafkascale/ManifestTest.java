package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.annotations.DeprecatedProperty;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.support.TestKafka;
import kafkascale.support.CrdSchemas;
import kafkascale.support.DebianPackages;
import kafkascale.support.Kustomize;
import kafkascale.support.RunningApp;
import kafkascale.support.Scrape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders every supported combination of kubernetes/ (the app alone, the recommended stack at the
 * root, each overlay, scale to zero) the way kustomize does, validates every object against its
 * real schema (fabric8's Kubernetes model, Strimzi's io.strimzi:api model, the KEDA and Prometheus
 * Operator CRDs), and cross-checks the manifests with the app: settings, topics, groups, ports,
 * ACLs, autoscaling caps, metric names from a real scrape, alert rules in a real promtool.
 */
class ManifestTest {

    private static final Path ROOT = Path.of("kubernetes");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_SETTING = Pattern.compile("^([\\w.-]+)\\s*=\\s*\\{\\{env:(\\w+):(.*)}}\\s*$");
    private static final Pattern PLAIN_SETTING = Pattern.compile("^([\\w.-]+)\\s*=\\s*(.*)$");

    /** The combinations a user applies: name → directory. */
    static final Map<String, Path> COMBINATIONS = new LinkedHashMap<>();
    static final Map<String, List<ObjectNode>> RENDERED = new LinkedHashMap<>();
    static final Map<String, String> appDefaultsByEnv = new HashMap<>();
    static final Map<String, String> appProperties = new HashMap<>();

    /** Series names from kube-state-metrics (not from the app) that the alert rules use. */
    static final Set<String> KUBE_STATE_METRICS = Set.of("kube_horizontalpodautoscaler_status_current_replicas",
            "kube_horizontalpodautoscaler_spec_max_replicas", "kube_job_status_failed", "kube_deployment_status_replicas_available");

    @BeforeAll
    static void render() throws Exception {
        COMBINATIONS.put("app", ROOT.resolve("app"));
        COMBINATIONS.put("root", ROOT);
        COMBINATIONS.put("dev-kafka", ROOT.resolve("overlays/dev-kafka"));
        COMBINATIONS.put("hpa", ROOT.resolve("overlays/hpa"));
        COMBINATIONS.put("nodeport", ROOT.resolve("overlays/nodeport"));
        // the recommended stack with the KEDA floor at zero, as a user composes it
        Path scaleToZero = Path.of("target/kustomize/scale-to-zero");
        Files.createDirectories(scaleToZero);
        Files.writeString(scaleToZero.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: kafka-scale
                resources:
                  - ../../../kubernetes/app
                components:
                  - ../../../kubernetes/components/keda
                  - ../../../kubernetes/components/keda-scale-to-zero
                  - ../../../kubernetes/components/monitoring
                  - ../../../kubernetes/components/strimzi
                """);
        COMBINATIONS.put("scale-to-zero", scaleToZero);
        for (Map.Entry<String, Path> c : COMBINATIONS.entrySet()) {
            RENDERED.put(c.getKey(), Kustomize.build(c.getValue()));
        }
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            Matcher env = ENV_SETTING.matcher(line.trim());
            Matcher plain = PLAIN_SETTING.matcher(line.trim());
            if (env.matches()) {
                appDefaultsByEnv.put(env.group(2), env.group(3));
                appProperties.put(env.group(1), env.group(3));
            } else if (!line.startsWith("#") && plain.matches()) {
                appProperties.put(plain.group(1), plain.group(2).trim());
            }
        }
        assertTrue(appDefaultsByEnv.containsKey("CAMEL_ROLE"));
    }

    // ---------------------------------------------------------------- rendering and schemas

    @Test
    void theRendererAgreesWithKubectlKustomize() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        Assumptions.assumeTrue(Files.isExecutable(kubectl) && kustomizeVersion(kubectl) >= 4,
                "kubectl with kustomize v4 or later is not installed: the Java renderer alone checks the manifests");
        for (Map.Entry<String, Path> c : COMBINATIONS.entrySet()) {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", c.getValue().toString()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), c.getKey() + ": " + err);
            Map<String, JsonNode> expected = byId(YAML.readerFor(JsonNode.class).<JsonNode>readValues(out).readAll());
            Map<String, JsonNode> actual = byId(new ArrayList<>(RENDERED.get(c.getKey())));
            assertEquals(expected.keySet(), actual.keySet(), c.getKey());
            for (String id : expected.keySet()) {
                assertEquals(expected.get(id), actual.get(id), c.getKey() + " " + id);
            }
        }
    }

    private static int kustomizeVersion(Path kubectl) throws Exception {
        Process p = new ProcessBuilder(kubectl.toString(), "version", "--client").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> docs) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode d : docs) {
            if (d != null && !d.isEmpty()) {
                out.put(id(d), d);
            }
        }
        return out;
    }

    static String id(JsonNode d) {
        return d.path("kind").asText() + " " + Kustomize.namespace(d) + "/" + Kustomize.name(d);
    }

    /** Kubernetes kinds checked with fabric8's model, Strimzi kinds with io.strimzi:api, by "apiVersion kind". */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1 Namespace", Namespace.class), Map.entry("v1 ServiceAccount", ServiceAccount.class),
            Map.entry("v1 ConfigMap", ConfigMap.class), Map.entry("v1 Secret", Secret.class),
            Map.entry("v1 Service", Service.class), Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("batch/v1 Job", Job.class), Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1 Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1 RoleBinding", RoleBinding.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1 Kafka", Kafka.class), Map.entry("kafka.strimzi.io/v1 KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1 KafkaTopic", KafkaTopic.class), Map.entry("kafka.strimzi.io/v1 KafkaUser", KafkaUser.class));

    @Test
    void everyObjectFitsItsRealSchema() throws Exception {
        CrdSchemas crds = new CrdSchemas(Path.of("src/test/resources/crds"));
        Set<String> kinds = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<ObjectNode>> c : RENDERED.entrySet()) {
            for (ObjectNode doc : c.getValue()) {
                String type = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
                kinds.add(type);
                String where = c.getKey() + " " + id(doc) + ": ";
                if (MODELS.containsKey(type)) {
                    modelProblems(doc, MODELS.get(type)).forEach(p -> problems.add(where + p));
                } else if (crds.covers(doc)) {
                    crds.errors(doc).forEach(e -> problems.add(where + e));
                } else {
                    problems.add(where + "no schema to check " + type + " against");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(kinds.containsAll(Set.of("keda.sh/v1alpha1 ScaledObject", "keda.sh/v1alpha1 TriggerAuthentication",
                "monitoring.coreos.com/v1 PodMonitor", "monitoring.coreos.com/v1 PrometheusRule",
                "kafka.strimzi.io/v1 KafkaUser", "kafka.strimzi.io/v1 Kafka", "apps/v1 Deployment")), kinds.toString());
    }

    /** The checks above can fail: a misspelt field is caught by each kind of schema. */
    @Test
    void theSchemaChecksRefuseAMisspeltField() throws Exception {
        CrdSchemas crds = new CrdSchemas(Path.of("src/test/resources/crds"));
        for (String kind : List.of("ScaledObject", "PodMonitor", "PrometheusRule", "TriggerAuthentication")) {
            ObjectNode doc = find("root", kind, null).deepCopy();
            assertEquals(Set.of(), crds.errors(doc));
            ((ObjectNode) doc.get("spec")).put("minReplicasCount", 1);
            assertFalse(crds.errors(doc).isEmpty(), kind + " with an unknown field passed");
        }
        ObjectNode user = find("root", "KafkaUser", "kafka-scale-compute").deepCopy();
        ((ObjectNode) user.get("spec").get("authorization").get("acls").get(0)).put("operation", "Read");
        assertFalse(modelProblems(user, KafkaUser.class).isEmpty(), "a v1beta2-only field passed as v1");
        ObjectNode deployment = find("root", "Deployment", "compute").deepCopy();
        ((ObjectNode) deployment.get("spec").get("template").get("spec").get("containers").get(0)).put("envFrom", "x");
        assertFalse(modelProblems(deployment, Deployment.class).isEmpty());
        ObjectNode job = find("root", "Job", "reader").deepCopy();
        ((ObjectNode) job.get("spec").get("template").get("spec")).put("restartpolicy", "Never");
        assertFalse(modelProblems(job, Job.class).isEmpty());
    }

    static List<String> modelProblems(ObjectNode doc, Class<?> type) {
        List<String> problems = new ArrayList<>();
        Object typed;
        try {
            typed = JSON.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).treeToValue(doc, type);
        } catch (Exception e) {
            return List.of(e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        unknownFields(typed, "", problems);
        if (type.getPackageName().startsWith("io.strimzi")) {
            try {
                String group = (String) type.getField("RESOURCE_GROUP").get(null);
                List<?> versions = (List<?>) type.getField("VERSIONS").get(null);
                String apiVersion = doc.path("apiVersion").asText();
                if (!apiVersion.startsWith(group + "/") || !versions.contains(apiVersion.substring(group.length() + 1))) {
                    problems.add(apiVersion + " is not a version of " + type.getSimpleName() + ": " + versions);
                }
            } catch (ReflectiveOperationException e) {
                problems.add(e.toString());
            }
        }
        return problems;
    }

    /** Both models keep fields they do not know in an additionalProperties map instead of failing: it must be empty. */
    static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object v : list) {
                unknownFields(v, path + "[" + i++ + "]", problems);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (type.isEnum() || !(type.getPackageName().startsWith("io.fabric8.kubernetes.api.model")
                || type.getPackageName().startsWith("io.strimzi.api"))) {
            return;
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Class<?> r = m.getReturnType();
            boolean model = r.getPackageName().startsWith("io.fabric8.kubernetes.api.model") || r.getPackageName().startsWith("io.strimzi.api");
            if (!model && !Collection.class.isAssignableFrom(r) && !Map.class.isAssignableFrom(r) && r != Object.class) {
                continue;
            }
            try {
                Object child = m.invoke(value);
                if (child != null && !(child instanceof Collection<?> c && c.isEmpty())
                        && (m.isAnnotationPresent(DeprecatedProperty.class) || m.isAnnotationPresent(Deprecated.class))) {
                    problems.add(path + "." + m.getName().substring(3) + " is deprecated or gone from this API version");
                }
                if (m.getName().equals("getAdditionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add((path.isEmpty() ? "." : path) + " has fields the schema does not know: " + extra.keySet());
                    }
                } else {
                    String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                    unknownFields(child, path + "." + field, problems);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a derived getter that does not apply here
            }
        }
    }

    // ---------------------------------------------------------------- pods

    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() throws Exception {
        for (String c : RENDERED.keySet()) {
            Namespace ns = typed(find(c, "Namespace", "kafka-scale"), Namespace.class);
            assertEquals("restricted", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
            ServiceAccount sa = typed(find(c, "ServiceAccount", "kafka-scale"), ServiceAccount.class);
            assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
            for (Map.Entry<String, PodSpec> pod : podSpecs(c).entrySet()) {
                String where = c + " " + pod.getKey();
                PodSpec spec = pod.getValue();
                assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), where);
                assertEquals("kafka-scale", spec.getServiceAccountName(), where);
                assertEquals(Boolean.TRUE, spec.getSecurityContext().getRunAsNonRoot(), where);
                assertEquals(10001L, spec.getSecurityContext().getRunAsUser(), where);
                assertEquals(10001L, spec.getSecurityContext().getRunAsGroup(), where);
                assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType(), where);
                assertNull(spec.getHostNetwork(), where);
                assertNull(spec.getHostPID(), where);
                assertNull(spec.getHostIPC(), where);
                for (Volume v : spec.getVolumes()) {
                    assertTrue(v.getEmptyDir() != null || v.getSecret() != null || v.getConfigMap() != null || v.getProjected() != null,
                            where + ": volume " + v.getName() + " is of a type the restricted standard refuses or this test does not know");
                }
                for (Container container : spec.getContainers()) {
                    var sc = container.getSecurityContext();
                    assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where);
                    assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where);
                    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where);
                    assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), where);
                    assertNull(sc.getPrivileged(), where);
                    VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
                    assertNotNull(spec.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow().getEmptyDir(),
                            where + ": /tmp is an emptyDir");
                }
            }
        }
        // the Strimzi pods in the same namespace meet the standard too
        JsonNode pool = find("dev-kafka", "KafkaNodePool", null).path("spec").path("template");
        JsonNode eo = find("dev-kafka", "Kafka", null).path("spec").path("entityOperator").path("template");
        for (JsonNode podTemplate : List.of(pool.path("pod"), eo.path("pod"))) {
            assertTrue(podTemplate.path("securityContext").path("runAsNonRoot").asBoolean());
            assertEquals("RuntimeDefault", podTemplate.path("securityContext").path("seccompProfile").path("type").asText());
        }
        for (JsonNode container : List.of(pool.path("kafkaContainer"), eo.path("topicOperatorContainer"), eo.path("userOperatorContainer"))) {
            assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
            assertEquals("[\"ALL\"]", container.path("securityContext").path("capabilities").path("drop").toString());
        }
        // the image runs as the same non-root user
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<user>10001:10001</user>"));
        assertTrue(Files.readString(Path.of("Dockerfile")).contains("USER 10001:10001"));
    }

    @Test
    void theAdminTokenComesFromAGeneratedSecretThatIsEmptyByDefault() throws Exception {
        for (String c : RENDERED.keySet()) {
            List<ObjectNode> secrets = kind(c, "Secret");
            assertEquals(1, secrets.size(), c);
            Secret secret = typed(secrets.get(0), Secret.class);
            assertTrue(secret.getMetadata().getName().matches("kafka-scale-admin-[a-z0-9]{10}"), "hash suffix: " + secret.getMetadata().getName());
            assertEquals("", new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8),
                    "the committed token is empty: admin changes are refused until an operator sets one");
            Set<String> podsWithToken = new TreeSet<>();
            for (Map.Entry<String, PodSpec> pod : podSpecs(c).entrySet()) {
                for (EnvVar env : pod.getValue().getContainers().get(0).getEnv()) {
                    if (env.getName().equals("ADMIN_TOKEN")) {
                        podsWithToken.add(pod.getKey());
                        assertEquals(secret.getMetadata().getName(), env.getValueFrom().getSecretKeyRef().getName());
                        assertEquals("token", env.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
            assertEquals(Set.of("Deployment results"), podsWithToken, "only the role serving /admin gets the token");
        }
        assertEquals("token=", Files.readString(ROOT.resolve("app/admin-token.env")).trim());
    }

    @Test
    void networkPoliciesAllowEachRoleOnlyWhatItNeeds() throws Exception {
        Map<String, String> config = sharedConfig("app");
        String http = "TCP/" + config.get("HTTP_PORT");
        String management = "TCP/" + config.get("MANAGEMENT_PORT");
        Set<String> dns = Set.of("UDP/53 to k8s-app=kube-dns in any namespace", "TCP/53 to k8s-app=kube-dns in any namespace");
        Set<String> anyKafka = Set.of("TCP/9092-9093 to anywhere");
        Set<String> census = Set.of("TCP/443 to anywhere", "TCP/80 to anywhere");
        assertEquals(Map.of(
                        "read", List.of(Set.of(), union(dns, anyKafka, census)),
                        "compute", List.of(Set.of(), union(dns, anyKafka)),
                        "results", List.of(Set.of(http + " from anywhere"), union(dns, anyKafka))),
                allowedTraffic("app"));

        Map<String, String> secured = sharedConfig("root");
        String kafkaPort = secured.get("KAFKA_BROKERS").replaceAll(".*:", "");
        Set<String> strimziKafka = Set.of("TCP/" + kafkaPort + " to strimzi.io/broker-role=true,strimzi.io/cluster=kafka-scale");
        Set<String> prometheus = Set.of(management + " from namespace kubernetes.io/metadata.name=monitoring");
        for (String c : List.of("root", "dev-kafka", "hpa", "nodeport")) {
            assertEquals(Map.of(
                            "read", List.of(prometheus, union(dns, strimziKafka, census)),
                            "compute", List.of(prometheus, union(dns, strimziKafka)),
                            "results", List.of(union(Set.of(http + " from anywhere"), prometheus), union(dns, strimziKafka))),
                    allowedTraffic(c), c);
        }
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> out = new TreeSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return out;
    }

    /** Per role: [allowed ingress, allowed egress], from the policies that select its pods; each role is denied everything else. */
    static Map<String, List<Set<String>>> allowedTraffic(String c) throws Exception {
        List<NetworkPolicy> policies = new ArrayList<>();
        for (ObjectNode p : kind(c, "NetworkPolicy")) {
            policies.add(typed(p, NetworkPolicy.class));
        }
        Map<String, List<Set<String>>> out = new TreeMap<>();
        for (PodTemplateSpec template : podTemplates(c).values()) {
            Map<String, String> labels = template.getMetadata().getLabels();
            Set<String> ingress = new TreeSet<>();
            Set<String> egress = new TreeSet<>();
            boolean deniesIngress = false;
            boolean deniesEgress = false;
            for (NetworkPolicy p : policies) {
                if (!labels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet())) {
                    continue;
                }
                deniesIngress |= p.getSpec().getPolicyTypes().contains("Ingress");
                deniesEgress |= p.getSpec().getPolicyTypes().contains("Egress");
                p.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(port -> ingress.add(port(port) + " from " + peers(rule.getFrom()))));
                p.getSpec().getEgress().forEach(rule -> rule.getPorts().forEach(port -> egress.add(port(port) + " to " + peers(rule.getTo()))));
            }
            assertTrue(deniesIngress && deniesEgress, c + ": " + labels + " is not under a default deny");
            out.put(labels.get("app.kubernetes.io/component"), List.of(ingress, egress));
        }
        return out;
    }

    static String port(NetworkPolicyPort port) {
        return port.getProtocol() + "/" + port.getPort().getIntVal() + (port.getEndPort() == null ? "" : "-" + port.getEndPort());
    }

    static String peers(List<NetworkPolicyPeer> peers) {
        if (peers.isEmpty()) {
            return "anywhere";
        }
        return peers.stream().map(peer -> {
            String pods = peer.getPodSelector() == null ? null : new TreeMap<>(peer.getPodSelector().getMatchLabels()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            if (peer.getNamespaceSelector() == null) {
                return pods;
            }
            String namespaces = peer.getNamespaceSelector().getMatchLabels().isEmpty() ? "any namespace"
                    : "namespace " + peer.getNamespaceSelector().getMatchLabels().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            return pods == null ? namespaces : pods + " in " + namespaces;
        }).collect(Collectors.joining(" or "));
    }

    // ---------------------------------------------------------------- the app's settings, topics, users

    @Test
    void everyRoleIsARealRoleAndEveryEnvVarIsOneTheAppReads() throws Exception {
        for (String c : RENDERED.keySet()) {
            Set<String> roles = new TreeSet<>();
            Set<String> unknown = new TreeSet<>();
            for (PodSpec spec : podSpecs(c).values()) {
                for (Container container : spec.getContainers()) {
                    for (EnvVar env : container.getEnv()) {
                        if (env.getName().equals("CAMEL_ROLE")) {
                            roles.add(env.getValue());
                            kafkascale.Role.parse(env.getValue());
                        } else if (!appDefaultsByEnv.containsKey(env.getName()) && !env.getName().equals("JAVA_TOOL_OPTIONS")) {
                            unknown.add(env.getName()); // JAVA_TOOL_OPTIONS is read by the JVM itself
                        }
                    }
                    assertEquals("kafka-scale-config", container.getEnvFrom().get(0).getConfigMapRef().getName());
                }
            }
            sharedConfig(c).keySet().stream().filter(k -> !appDefaultsByEnv.containsKey(k)).forEach(unknown::add);
            assertEquals(Set.of("read", "compute", "results"), roles, c);
            assertEquals(Set.of(), unknown, c + ": environment variables the app does not read");
            Map<String, String> config = sharedConfig(c);
            for (String key : List.of("COMPUTE_TOPIC", "RESULTS_TOPIC", "COMPUTE_DLQ_TOPIC", "RESULTS_DLQ_TOPIC", "COMPUTE_GROUP",
                    "RESULTS_GROUP", "COMPUTE_PARTITIONS", "HTTP_PORT", "MANAGEMENT_PORT")) {
                assertEquals(appDefaultsByEnv.get(key), config.get(key), c + " " + key + " differs from the app's default: the ACLs and alerts assume it");
            }
        }
    }

    @Test
    void strimziTopicsAndUsersMatchTheAppsTopicsAndGroups() throws Exception {
        Map<String, String> config = sharedConfig("root");
        String compute = config.get("COMPUTE_TOPIC");
        String results = config.get("RESULTS_TOPIC");
        String computeDlq = config.get("COMPUTE_DLQ_TOPIC");
        String resultsDlq = config.get("RESULTS_DLQ_TOPIC");
        String computeGroup = config.get("COMPUTE_GROUP");
        String resultsGroup = config.get("RESULTS_GROUP");

        Map<String, JsonNode> topics = new TreeMap<>();
        kind("root", "KafkaTopic").forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t.path("spec")));
        assertEquals(Set.of(compute, results, computeDlq, resultsDlq), topics.keySet());
        assertEquals(config.get("COMPUTE_PARTITIONS"), topics.get(compute).path("partitions").asText());
        assertEquals(config.get("RESULTS_PARTITIONS"), topics.get(results).path("partitions").asText());
        assertEquals(config.get("COMPUTE_REPLICATION"), topics.get(compute).path("replicas").asText());
        assertEquals(config.get("RESULTS_REPLICATION"), topics.get(results).path("replicas").asText());
        assertEquals("-1", topics.get(results).path("config").path("retention.ms").asText(), "results are kept forever");
        topics.values().forEach(t -> assertEquals("2", t.path("config").path("min.insync.replicas").asText()));

        Map<String, Set<String>> expected = Map.of(
                "kafka-scale-read", Set.of("topic " + compute + " literal Describe", "topic " + compute + " literal Write",
                        "topic " + results + " literal Describe", "topic " + results + " literal Write",
                        "topic " + computeDlq + " literal Describe", "topic " + resultsDlq + " literal Describe"),
                "kafka-scale-compute", Set.of("topic " + compute + " literal Describe", "topic " + compute + " literal Read",
                        "group " + computeGroup + " literal Read",
                        "topic " + results + " literal Describe", "topic " + results + " literal Write",
                        "topic " + computeDlq + " literal Describe", "topic " + computeDlq + " literal Write",
                        "topic " + resultsDlq + " literal Describe"),
                "kafka-scale-results", Set.of("topic " + results + " literal Describe", "topic " + results + " literal DescribeConfigs",
                        "topic " + results + " literal Read", "group " + resultsGroup + " prefix Read",
                        "topic " + resultsDlq + " literal Describe", "topic " + resultsDlq + " literal Write",
                        "topic " + compute + " literal Describe", "group " + computeGroup + " literal Describe",
                        "topic " + computeDlq + " literal Describe"),
                "kafka-scale-admin", Set.of("topic * literal All", "group * literal All"));
        Map<String, Set<String>> actual = new TreeMap<>();
        for (ObjectNode u : kind("root", "KafkaUser")) {
            KafkaUser user = typed(u, KafkaUser.class);
            assertEquals("scram-sha-512", user.getSpec().getAuthentication().getType());
            Set<String> acls = new TreeSet<>();
            JsonNode spec = u.path("spec").path("authorization");
            assertEquals("simple", spec.path("type").asText());
            for (JsonNode acl : spec.path("acls")) {
                for (JsonNode op : acl.path("operations")) {
                    JsonNode r = acl.path("resource");
                    acls.add(r.path("type").asText() + " " + r.path("name").asText() + " " + r.path("patternType").asText("literal") + " " + op.asText());
                }
            }
            actual.put(user.getMetadata().getName(), acls);
        }
        assertEquals(new TreeMap<>(expected), actual);
        assertTrue(actual.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(a -> a.endsWith(" All") || a.endsWith(" Create")
                || a.endsWith(" Delete"))).map(Map.Entry::getKey).allMatch("kafka-scale-admin"::equals), "only admin creates or deletes topics");

        // every object belongs to the Strimzi cluster the overlay creates, and each role signs in as its own user
        String cluster = find("dev-kafka", "Kafka", null).path("metadata").path("name").asText();
        for (String k : List.of("KafkaTopic", "KafkaUser", "KafkaNodePool")) {
            kind("dev-kafka", k).forEach(o -> assertEquals(cluster, o.path("metadata").path("labels").path("strimzi.io/cluster").asText()));
        }
        Map<String, String> role = Map.of("Job reader", "kafka-scale-read", "Deployment compute", "kafka-scale-compute",
                "Deployment results", "kafka-scale-results");
        for (String c : List.of("root", "dev-kafka", "hpa", "nodeport", "scale-to-zero")) {
            for (Map.Entry<String, PodSpec> pod : podSpecs(c).entrySet()) {
                Map<String, EnvVar> env = pod.getValue().getContainers().get(0).getEnv().stream()
                        .collect(Collectors.toMap(EnvVar::getName, e -> e));
                String user = role.get(pod.getKey());
                assertEquals(user, env.get("KAFKA_SASL_USERNAME").getValue(), c + " " + pod.getKey());
                assertEquals(user, env.get("KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getName(), "Strimzi's Secret for the user");
                assertEquals("password", env.get("KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getKey());
                assertEquals(cluster + "-cluster-ca-cert", env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD").getValueFrom().getSecretKeyRef().getName());
                assertEquals("ca.password", env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD").getValueFrom().getSecretKeyRef().getKey());
                Volume ca = pod.getValue().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
                assertEquals(cluster + "-cluster-ca-cert", ca.getSecret().getSecretName());
                assertEquals("ca.p12", ca.getSecret().getItems().get(0).getKey());
                String mount = pod.getValue().getContainers().get(0).getVolumeMounts().stream()
                        .filter(m -> m.getName().equals(ca.getName())).findFirst().orElseThrow().getMountPath();
                assertEquals(sharedConfig(c).get("KAFKA_SSL_TRUSTSTORE_LOCATION"), mount + "/" + ca.getSecret().getItems().get(0).getPath());
            }
        }
        // the client settings fit the overlay's listener
        JsonNode kafka = find("dev-kafka", "Kafka", null).path("spec").path("kafka");
        JsonNode listener = kafka.path("listeners").get(0);
        assertEquals(1, kafka.path("listeners").size(), "no plain listener beside the authenticated one");
        assertTrue(listener.path("tls").asBoolean());
        assertEquals("scram-sha-512", listener.path("authentication").path("type").asText());
        assertEquals("simple", kafka.path("authorization").path("type").asText());
        Map<String, String> devConfig = sharedConfig("dev-kafka");
        assertEquals(cluster + "-kafka-bootstrap.kafka-scale.svc:" + listener.path("port").asText(), devConfig.get("KAFKA_BROKERS"));
        assertEquals("SASL_SSL", devConfig.get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", devConfig.get("KAFKA_SASL_MECHANISM"));
        assertEquals("PKCS12", devConfig.get("KAFKA_SSL_TRUSTSTORE_TYPE"));
        assertEquals(3, kafka.path("config").path("default.replication.factor").asInt());
        assertEquals(2, kafka.path("config").path("min.insync.replicas").asInt());
        JsonNode pool = find("dev-kafka", "KafkaNodePool", null).path("spec");
        assertEquals(3, pool.path("replicas").asInt());
        assertEquals("[\"controller\",\"broker\"]", pool.path("roles").toString());
    }

    // ---------------------------------------------------------------- autoscaling

    @Test
    void autoscalingFollowsTheConfigurationAndStopsAtThePartitionCount() throws Exception {
        int partitions = Integer.parseInt(sharedConfig("root").get("COMPUTE_PARTITIONS"));
        assertNotNull(typed(find("app", "Deployment", "compute"), Deployment.class).getSpec().getReplicas(), "no autoscaler: fixed replicas");
        for (String c : List.of("root", "dev-kafka", "hpa", "nodeport", "scale-to-zero")) {
            assertNull(typed(find(c, "Deployment", "compute"), Deployment.class).getSpec().getReplicas(),
                    c + ": an autoscaled Deployment has no replicas a re-apply would reset");
            assertEquals(partitions, find(c, "KafkaTopic", "compute").path("spec").path("partitions").asInt());
        }
        for (String c : List.of("root", "dev-kafka", "nodeport", "scale-to-zero")) {
            JsonNode keda = find(c, "ScaledObject", "compute").path("spec");
            assertEquals("compute", keda.path("scaleTargetRef").path("name").asText());
            assertEquals(partitions, keda.path("maxReplicaCount").asInt(), "the cap is the compute partition count");
            assertEquals(c.equals("scale-to-zero") ? 0 : 1, keda.path("minReplicaCount").asInt());
            assertTrue(keda.path("fallback").path("replicas").asInt() >= 1 && keda.path("fallback").path("replicas").asInt() <= partitions);
            JsonNode trigger = keda.path("triggers").get(0);
            JsonNode metadata = trigger.path("metadata");
            assertEquals("kafka", trigger.path("type").asText());
            // from the pods' own settings, nothing hard-coded
            assertFalse(metadata.has("bootstrapServers") || metadata.has("consumerGroup") || metadata.has("topic"));
            Container computeContainer = podSpecs(c).get("Deployment compute").getContainers().stream()
                    .filter(x -> x.getName().equals(keda.path("scaleTargetRef").path("envSourceContainerName").asText())).findFirst().orElseThrow();
            Map<String, String> config = sharedConfig(c);
            assertEquals("KAFKA_BROKERS", metadata.path("bootstrapServersFromEnv").asText());
            assertEquals("COMPUTE_GROUP", metadata.path("consumerGroupFromEnv").asText());
            assertEquals("COMPUTE_TOPIC", metadata.path("topicFromEnv").asText());
            for (String env : List.of("bootstrapServersFromEnv", "consumerGroupFromEnv", "topicFromEnv")) {
                assertTrue(config.containsKey(metadata.path(env).asText()));
            }
            assertEquals(appProperties.get("camel.component.kafka.auto-offset-reset"), metadata.path("offsetResetPolicy").asText(),
                    "KEDA counts a new group's lag as compute reads it");
            assertEquals("false", metadata.path("scaleToZeroOnInvalidOffset").asText());
            assertEquals("false", metadata.path("allowIdleConsumers").asText());
            assertEquals("false", metadata.path("excludePersistentLag").asText());
            assertTrue(metadata.has("activationLagThreshold") && metadata.has("lagThreshold") && metadata.has("limitToPartitionsWithLag"));
            // the scaler signs in like compute does
            assertEquals("scram_sha512", metadata.path("sasl").asText());
            assertEquals(config.get("KAFKA_SASL_MECHANISM").toLowerCase().replace('-', '_').replace("scram_sha_512", "scram_sha512"),
                    metadata.path("sasl").asText());
            assertEquals("enable", metadata.path("tls").asText());
            JsonNode auth = find(c, "TriggerAuthentication", trigger.path("authenticationRef").path("name").asText()).path("spec");
            Set<String> computeEnv = computeContainer.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            for (JsonNode env : auth.path("env")) {
                assertTrue(computeEnv.contains(env.path("name").asText()), env + " is not in the compute container");
            }
            assertEquals("kafka-scale-cluster-ca-cert", auth.path("secretTargetRef").get(0).path("name").asText());
            assertEquals("ca.crt", auth.path("secretTargetRef").get(0).path("key").asText());
        }
        HorizontalPodAutoscaler hpa = typed(find("hpa", "HorizontalPodAutoscaler", "compute"), HorizontalPodAutoscaler.class);
        assertEquals("compute", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(partitions, hpa.getSpec().getMaxReplicas());
        assertTrue(kind("hpa", "ScaledObject").isEmpty());
        JsonNode adapter = YAML.readTree(ROOT.resolve("components/hpa/prometheus-adapter-values.yaml").toFile()).path("rules").path("custom");
        assertEquals(hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName(), adapter.get(0).path("name").path("as").asText());
    }

    // ---------------------------------------------------------------- image, ports, monitoring

    @Test
    void imagesComeFromTheKustomizeImagesEntryAndTheWorkflowPublishesThem() throws Exception {
        String version = pomVersion();
        JsonNode images = YAML.readTree(ROOT.resolve("app/kustomization.yaml").toFile()).path("images");
        assertEquals("kafka-scale", images.get(0).path("name").asText());
        assertEquals(version, images.get(0).path("newTag").asText(), "the image tag follows the project version");
        String image = images.get(0).path("newName").asText() + ":" + version;
        for (ObjectNode doc : Kustomize.readDocuments(ROOT.resolve("app/compute-deployment.yaml"))) {
            assertEquals("kafka-scale", doc.at("/spec/template/spec/containers/0/image").asText(), "the base names the image only");
        }
        for (String c : RENDERED.keySet()) {
            podSpecs(c).forEach((pod, spec) -> assertEquals(image, spec.getContainers().get(0).getImage(), c + " " + pod));
        }
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<image>${image}</image>"), "jib pushes to -Dimage=…");
        String workflow = Files.readString(Path.of(".github/workflows/build.yaml"));
        assertTrue(workflow.contains("bash .ci/run"), "CI runs the tests as .ci/run does");
        assertTrue(workflow.contains("-Pjib") && workflow.contains("-Dimage=ghcr.io/"), "a tag publishes the image");
    }

    /**
     * One JIT choice for every role, measured by the bench with scripts/lib.sh's options: C1 only (the
     * month's SHA-256 runs in native code, so the reader and `all` need no C2 for it). The manifests,
     * the image and the README must run what was measured, and the JVM must accept it.
     */
    @Test
    void everyRoleRunsTheJitOptionsTheBenchMeasured() throws Exception {
        String lib = Files.readString(Path.of("scripts/lib.sh"));
        List<String> common = libOptions(lib, "ROLE_JVM_COMMON").stream().filter(o -> !o.startsWith("-Xmx")).toList();
        List<String> c1Only = libOptions(lib, "ROLE_JVM_C1_ONLY");
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:C1MaxInlineLevel=4"), c1Only);
        for (String c : RENDERED.keySet()) {
            for (PodSpec spec : podSpecs(c).values()) {
                Container container = spec.getContainers().get(0);
                String role = env(container, "CAMEL_ROLE");
                List<String> options = List.of(env(container, "JAVA_TOOL_OPTIONS").split("\\s+"));
                assertTrue(options.containsAll(common) && options.containsAll(c1Only), c + " " + role + ": " + options);
                assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:Tier4")), c + " " + role + ": " + options);
            }
        }
        Matcher docker = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(Files.readString(Path.of("Dockerfile")));
        Matcher jib = Pattern.compile("<JAVA_TOOL_OPTIONS>([^<]+)</JAVA_TOOL_OPTIONS>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(docker.find() && jib.find());
        assertEquals(docker.group(1), jib.group(1), "the Dockerfile and jib build the same image");
        List<String> image = List.of(docker.group(1).split("\\s+"));
        assertTrue(image.containsAll(common) && image.containsAll(c1Only), image.toString());
        // the README's first command runs `all` with the same options
        String readme = Files.readString(Path.of("README.md")).replace("\\\n", " ");
        String command = readme.lines().filter(l -> l.contains("-jar target/kafka-scale.jar")).findFirst().orElseThrow();
        List<String> commandWords = List.of(command.split("\\s+"));
        assertTrue(commandWords.containsAll(c1Only) && commandWords.containsAll(common), command);
        assertFalse(commandWords.stream().anyMatch(o -> o.startsWith("-XX:Tier4")), command);
        // and this JVM takes every one of them
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(common);
        cmd.addAll(c1Only);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), cmd + ": " + out);
    }

    private static List<String> libOptions(String lib, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"]*)\"$").matcher(lib);
        assertTrue(m.find(), variable + " in scripts/lib.sh");
        return List.of(m.group(1).split("\\s+"));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " sets no " + name));
    }

    @Test
    void portsProbesAndServicesFitTogether() throws Exception {
        for (String c : RENDERED.keySet()) {
            Map<String, String> config = sharedConfig(c);
            Set<String> components = new TreeSet<>();
            for (PodTemplateSpec template : podTemplates(c).values()) {
                Container container = template.getSpec().getContainers().get(0);
                Map<String, Integer> ports = new HashMap<>();
                for (ContainerPort p : container.getPorts()) {
                    ports.put(p.getName(), p.getContainerPort());
                }
                assertEquals(Integer.parseInt(config.get("HTTP_PORT")), ports.get("http"));
                assertEquals(Integer.parseInt(config.get("MANAGEMENT_PORT")), ports.get("management"));
                assertTrue(container.getResources().getLimits().containsKey("memory") && container.getResources().getRequests().containsKey("cpu"));
                for (Probe probe : new Probe[] {container.getLivenessProbe(), container.getReadinessProbe()}) {
                    if (probe != null) {
                        assertEquals("management", probe.getHttpGet().getPort().getStrVal());
                    }
                }
                components.add(template.getMetadata().getLabels().get("app.kubernetes.io/component"));
                assertTrue(template.getSpec().getTerminationGracePeriodSeconds() > Integer.parseInt(appProperties.get("camel.main.shutdown-timeout")),
                        "longer than Camel's shutdown timeout");
            }
            for (ObjectNode s : kind(c, "Service")) {
                Service service = typed(s, Service.class);
                assertEquals("results", service.getSpec().getSelector().get("app.kubernetes.io/component"));
                assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
                assertEquals(c.equals("nodeport") && service.getMetadata().getName().equals("results-nodeport") ? "NodePort" : "ClusterIP",
                        service.getSpec().getType(), c + " " + service.getMetadata().getName());
            }
            assertEquals(c.equals("nodeport") ? 2 : 1, kind(c, "Service").size());
            PodDisruptionBudget pdb = typed(find(c, "PodDisruptionBudget", "results"), PodDisruptionBudget.class);
            Deployment results = typed(find(c, "Deployment", "results"), Deployment.class);
            assertEquals(results.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
            assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < results.getSpec().getReplicas(), "a drain can still move one replica");
        }
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardAndEveryQueryIsScoped() throws Exception {
        String dashboardText = Files.readString(Path.of("dashboards/kafka-scale.json"));
        assertEquals(dashboardText, Files.readString(ROOT.resolve("components/monitoring/kafka-scale.json")),
                "components/monitoring/kafka-scale.json differs from dashboards/kafka-scale.json: copy it again");
        ObjectNode map = find("root", "ConfigMap", "kafka-scale-dashboard");
        assertEquals("1", map.path("metadata").path("labels").path("grafana_dashboard").asText());
        assertEquals(dashboardText, map.path("data").path("kafka-scale.json").asText());

        JsonNode dashboard = JSON.readTree(dashboardText);
        Set<String> variables = new TreeSet<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.containsAll(Set.of("datasource", "namespace", "job")), variables.toString());
        Pattern selector = Pattern.compile("([a-z_:]+)\\{([^}]*)}");
        for (JsonNode panel : dashboard.path("panels")) {
            assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText().isEmpty(), panel.path("title") + " has no unit");
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText());
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher m = selector.matcher(expr);
                int selectors = 0;
                while (m.find()) {
                    selectors++;
                    assertTrue(m.group(2).contains("namespace=\"$namespace\"") && m.group(2).contains("job=\"$job\""),
                            panel.path("title") + ": " + m.group(0) + " is not scoped by namespace and job");
                    if (m.group(1).startsWith("kafka_consumer_fetch_manager_records_lag")) {
                        assertEquals("Compute lag per partition", panel.path("title").asText(), "compute lag only in the lag panel");
                        assertTrue(m.group(2).contains("client_id=~\"consumer-$compute_group-.*\""), "the compute group's clients only");
                    }
                }
                assertTrue(selectors > 0, expr);
            }
        }
    }

    @Test
    void alertRulesParseInPromtoolAndFireWhenTheyShould(@TempDir Path dir) throws Exception {
        DebianPackages.ensure(List.of("/usr/bin/promtool"), "prometheus");
        JsonNode rule = find("root", "PrometheusRule", "kafka-scale");
        assertEquals("kube-prometheus-stack", rule.path("metadata").path("labels").path("release").asText());
        Map<String, JsonNode> alerts = new TreeMap<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts.put(r.path("alert").asText(), r);
                assertFalse(r.path("annotations").path("summary").asText().isBlank(), r.path("alert").asText());
                assertFalse(r.path("annotations").path("description").asText().isBlank(), r.path("alert").asText());
                assertTrue(r.path("expr").asText().contains("namespace=\"" + Kustomize.namespace(rule) + "\""), "scoped to the app's namespace");
            }
        }
        assertEquals(Set.of("KafkaScaleComputeLagGrowing", "KafkaScaleComputeAtMaxReplicasWithLag", "KafkaScaleDeadLetters",
                "KafkaScaleReaderFailed", "KafkaScaleResultsNotReady"), alerts.keySet());
        Path rules = dir.resolve("rules.yaml");
        YAML.writeValue(rules.toFile(), rule.path("spec"));
        assertEquals(0, run(dir, "/usr/bin/promtool", "check", "rules", rules.toString()));

        // promtool's own rule unit tests: each alert fires on the series that should raise it, and not on the others
        String ns = "namespace=\"kafka-scale\"";
        String podMonitorJob = "job=\"" + Kustomize.namespace(rule) + "/" + Kustomize.name(find("root", "PodMonitor", null)) + "\"";
        String computeLag = "kafka_consumer_fetch_manager_records_lag{" + ns + ", " + podMonitorJob
                + ", topic=\"compute\", partition=\"0\", client_id=\"consumer-kafka-scale-compute-1\"}";
        String resultsLag = "kafka_consumer_fetch_manager_records_lag{" + ns + ", " + podMonitorJob
                + ", topic=\"results\", partition=\"0\", client_id=\"consumer-kafka-scale-results-2\"}";
        String hpa = "{" + ns + ", horizontalpodautoscaler=\"keda-hpa-compute\"}";
        List<String> cases = List.of(
                unitTest(Map.of(computeLag, "0+10x40"), "30m", alerts.get("KafkaScaleComputeLagGrowing"), Map.of("namespace", "kafka-scale")),
                unitTest(Map.of(computeLag, "100x40", resultsLag, "0+10x40"), "30m", alerts.get("KafkaScaleComputeLagGrowing"), null),
                unitTest(Map.of("kube_horizontalpodautoscaler_status_current_replicas" + hpa, "10x40",
                                "kube_horizontalpodautoscaler_spec_max_replicas" + hpa, "10x40", computeLag, "50x40"), "20m",
                        alerts.get("KafkaScaleComputeAtMaxReplicasWithLag"), Map.of("namespace", "kafka-scale", "horizontalpodautoscaler", "keda-hpa-compute")),
                unitTest(Map.of("kube_horizontalpodautoscaler_status_current_replicas" + hpa, "10x40",
                                "kube_horizontalpodautoscaler_spec_max_replicas" + hpa, "10x40", computeLag, "0x40"), "20m",
                        alerts.get("KafkaScaleComputeAtMaxReplicasWithLag"), null),
                unitTest(Map.of("kafka_scale_malformed_messages_total{" + ns + ", " + podMonitorJob + ", topic=\"compute\"}", "0 0 0 3 3 3 3"), "5m",
                        alerts.get("KafkaScaleDeadLetters"), Map.of("namespace", "kafka-scale", "topic", "compute")),
                unitTest(Map.of("kafka_scale_malformed_messages_total{" + ns + ", " + podMonitorJob + ", topic=\"compute\"}", "0x30"), "20m",
                        alerts.get("KafkaScaleDeadLetters"), null),
                unitTest(Map.of("kube_job_status_failed{" + ns + ", job_name=\"reader\"}", "0 0 1 1 1"), "4m",
                        alerts.get("KafkaScaleReaderFailed"), Map.of("namespace", "kafka-scale", "job_name", "reader")),
                unitTest(Map.of("kube_deployment_status_replicas_available{" + ns + ", deployment=\"results\"}", "2 2 0x12"), "12m",
                        alerts.get("KafkaScaleResultsNotReady"), Map.of("namespace", "kafka-scale", "deployment", "results")),
                unitTest(Map.of("kube_deployment_status_replicas_available{" + ns + ", deployment=\"results\"}", "2 2 0x12"), "5m",
                        alerts.get("KafkaScaleResultsNotReady"), null));
        Path tests = dir.resolve("tests.yaml");
        Files.writeString(tests, "rule_files:\n  - rules.yaml\nevaluation_interval: 1m\ntests:\n" + String.join("", cases));
        assertEquals(0, run(dir, "/usr/bin/promtool", "test", "rules", tests.toString()), Files.readString(tests));
    }

    /** One promtool test case: the alert with exactly {@code labels} (plus its own) at {@code at}, or no alert when null. */
    static String unitTest(Map<String, String> series, String at, JsonNode alert, Map<String, String> labels) {
        StringBuilder out = new StringBuilder("  - interval: 1m\n    input_series:\n");
        series.forEach((s, values) -> out.append("      - series: '").append(s).append("'\n        values: '").append(values).append("'\n"));
        out.append("    alert_rule_test:\n      - eval_time: ").append(at).append("\n        alertname: ").append(alert.path("alert").asText());
        if (labels == null) {
            return out.append("\n        exp_alerts: []\n").toString();
        }
        Map<String, String> all = new TreeMap<>(labels);
        alert.path("labels").fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue().asText()));
        out.append("\n        exp_alerts:\n          - exp_labels:\n");
        all.forEach((k, v) -> out.append("              ").append(k).append(": ").append(quoted(v)).append('\n'));
        out.append("            exp_annotations:\n");
        alert.path("annotations").fields().forEachRemaining(e -> {
            Matcher m = Pattern.compile("\\{\\{ \\$labels\\.(\\w+) }}").matcher(e.getValue().asText());
            String text = m.replaceAll(r -> Matcher.quoteReplacement(Objects.requireNonNull(all.get(r.group(1)), r.group())));
            out.append("              ").append(e.getKey()).append(": ").append(quoted(text)).append('\n');
        });
        return out.toString();
    }

    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static int run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.println(String.join(" ", command) + "\n" + out);
        return p.exitValue();
    }

    /**
     * The app itself: probe and metrics paths answer, and every series the alerts, the
     * prometheus-adapter rules and the compute-lag filter name is in a real scrape of a run.
     */
    @Test
    void probesAnswerAndEveryMetricTheManifestsNameIsExported(@TempDir Path data) throws Exception {
        Set<String> paths = new TreeSet<>();
        podTemplates("root").values().forEach(t -> {
            Container c = t.getSpec().getContainers().get(0);
            if (c.getLivenessProbe() != null) {
                paths.add(c.getLivenessProbe().getHttpGet().getPath());
                paths.add(c.getReadinessProbe().getHttpGet().getPath());
            }
        });
        String metricsPath = find("root", "PodMonitor", null).at("/spec/podMetricsEndpoints/0/path").asText();
        paths.add(metricsPath);
        assertEquals(Set.of("/observe/health/live", "/observe/health/ready", "/observe/metrics"), paths);

        Set<String> named = new TreeSet<>();
        for (JsonNode group : find("root", "PrometheusRule", null).at("/spec/groups")) {
            group.path("rules").forEach(r -> named.addAll(metricNames(r.path("expr").asText())));
        }
        JsonNode adapter = YAML.readTree(ROOT.resolve("components/hpa/prometheus-adapter-values.yaml").toFile()).at("/rules/custom/0");
        named.addAll(metricNames(adapter.path("seriesQuery").asText()));
        named.addAll(metricNames(adapter.path("metricsQuery").asText().replace("<<.LabelMatchers>>,", "").replace("<<.GroupBy>>", "pod")));
        assertTrue(named.contains("kafka_consumer_fetch_manager_records_lag") && named.contains("kafka_scale_malformed_messages_total"), named.toString());

        SampleGenerator generator = new SampleGenerator(5);
        Path jan = generator.writeMonth(data, 2019, 1, 500, Shape.DAT_GZ, false);
        try (TestKafka broker = TestKafka.start();
             RunningApp app = RunningApp.start(Map.of("kafka.brokers", broker.bootstrapServers(), "census.files", jan.toString()))) {
            app.await("/progress", p -> p.path("complete").asBoolean(), Duration.ofSeconds(90));
            for (String path : paths) {
                int status = 0;
                for (int i = 0; i < 50 && status != 200; i++) {
                    status = app.management(path).statusCode();
                    Thread.sleep(200);
                }
                assertEquals(200, status, path);
            }
            // per-partition lag appears once each client's metrics are next bound (every few seconds)
            String body = "";
            for (int i = 0; i < 150; i++) {
                body = app.management(metricsPath).body();
                if (body.contains("kafka_consumer_fetch_manager_records_lag{") && lagTopics(body).containsAll(
                        Set.of(appDefaultsByEnv.get("COMPUTE_TOPIC"), appDefaultsByEnv.get("RESULTS_TOPIC")))) {
                    break;
                }
                Thread.sleep(200);
            }
            Scrape scrape = new Scrape(body);
            Set<String> missing = new TreeSet<>(named);
            missing.removeAll(KUBE_STATE_METRICS);
            missing.removeIf(scrape::has);
            assertEquals(Set.of(), missing, "series the manifests name that the app does not export");

            // the compute-lag filter picks the compute group's consumers and nothing else
            Pattern computeClients = Pattern.compile("consumer-" + Pattern.quote(appDefaultsByEnv.get("COMPUTE_GROUP")) + "-.*");
            Set<String> topicsOfComputeClients = new TreeSet<>();
            Set<String> allTopics = lagTopics(body);
            Matcher series = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag\\{([^}]*)}").matcher(body);
            while (series.find()) {
                if (computeClients.matcher(label(series.group(1), "client_id")).matches()) {
                    topicsOfComputeClients.add(label(series.group(1), "topic"));
                }
            }
            assertEquals(Set.of(appDefaultsByEnv.get("COMPUTE_TOPIC")), topicsOfComputeClients, body);
            assertTrue(allTopics.contains(appDefaultsByEnv.get("RESULTS_TOPIC")), "the results consumer's lag is there too, and left out");
        }
    }

    static Set<String> lagTopics(String scrape) {
        Set<String> topics = new TreeSet<>();
        Matcher series = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag\\{([^}]*)}").matcher(scrape);
        while (series.find()) {
            topics.add(label(series.group(1), "topic"));
        }
        return topics;
    }

    static String label(String labels, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    /** Metric names in a PromQL expression (not functions, labels, durations or keywords). */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "").replaceAll("(by|on|without|ignoring) \\([^)]*\\)", "")
                .replaceAll("\"[^\"]*\"", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (m.find()) {
            boolean function = bare.startsWith("(", m.end()) || bare.startsWith(" (", m.end());
            if (!function && m.group().contains("_") && !Set.of("and", "or", "unless").contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- helpers

    static List<ObjectNode> kind(String combination, String kind) {
        return RENDERED.get(combination).stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static ObjectNode find(String combination, String kind, String name) {
        List<ObjectNode> found = kind(combination, kind).stream().filter(d -> name == null || name.equals(Kustomize.name(d))).toList();
        assertEquals(1, found.size(), combination + ": " + kind + " " + name);
        return found.get(0);
    }

    static <T> T typed(JsonNode doc, Class<T> type) throws Exception {
        return JSON.treeToValue(doc, type);
    }

    /** "Kind name" → pod template of every workload. */
    static Map<String, PodTemplateSpec> podTemplates(String c) throws Exception {
        Map<String, PodTemplateSpec> out = new TreeMap<>();
        for (ObjectNode d : kind(c, "Deployment")) {
            out.put("Deployment " + Kustomize.name(d), typed(d, Deployment.class).getSpec().getTemplate());
        }
        for (ObjectNode j : kind(c, "Job")) {
            out.put("Job " + Kustomize.name(j), typed(j, Job.class).getSpec().getTemplate());
        }
        assertEquals(3, out.size(), c);
        return out;
    }

    static Map<String, PodSpec> podSpecs(String c) throws Exception {
        Map<String, PodSpec> out = new TreeMap<>();
        podTemplates(c).forEach((k, v) -> out.put(k, v.getSpec()));
        return out;
    }

    static Map<String, String> sharedConfig(String c) throws Exception {
        return typed(find(c, "ConfigMap", "kafka-scale-config"), ConfigMap.class).getData();
    }

    static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>kafka-scale</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find());
        return m.group(1);
    }
}
