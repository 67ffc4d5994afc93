package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.kafka.KafkaSecurity;
import kafkascale.kafka.KafkaTopics;
import kafkascale.support.AppProcess;
import kafkascale.support.Oracle;
import kafkascale.support.RunningApp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the pipeline as users run it against a secured Kafka. A real broker process (KRaft, from
 * the kafka_2.13 jar on the test classpath) with one SASL_PLAINTEXT listener using SCRAM-SHA-512 and
 * the StandardAuthorizer; SCRAM users made by Kafka's StorageTool, ACLs by Kafka's AclCommand
 * (kafka-acls), topics by the admin identity. Each role runs as its own process with its own least-
 * privilege user: counts are exact; the compute user cannot delete a topic; wrong credentials stop
 * every role at start with a clear error.
 */
class KafkaAclIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MECHANISM = "SCRAM-SHA-512";
    /** user -> password; passwords are random per run */
    static final Map<String, String> USERS = Map.of(
            "admin", "admin-" + Uuid.randomUuid(),
            "read", "read-" + Uuid.randomUuid(),
            "compute", "compute-" + Uuid.randomUuid(),
            "results", "results-" + Uuid.randomUuid());
    static final String RESULTS_GROUP = "kafka-scale-results-1";
    static final int RECORDS_PER_MONTH = 3_000;

    @TempDir
    Path work;

    @Test
    void leastPrivilegeUsersCountExactlyCannotDeleteTopicsAndWrongCredentialsStopEveryRole() throws Exception {
        List<AppProcess> processes = new ArrayList<>();
        try {
            int port = RunningApp.freePort();
            String bootstrap = "127.0.0.1:" + port;
            processes.add(startBroker(port, RunningApp.freePort()));
            awaitPort(port, processes.get(0));
            Path adminConfig = clientConfig("admin");
            grantAcls(bootstrap, adminConfig);

            // the admin identity creates the topics, through the app's own AdminClient settings
            KafkaTopics asAdmin = new KafkaTopics(new kafkascale.kafka.KafkaClientSettings(bootstrap, security("admin"),
                    Duration.ofSeconds(60)));
            asAdmin.ensure("compute", 4, (short) 1);
            asAdmin.ensure("compute.dlq", 1, (short) 1);
            // kept forever, as the results role requires (it refuses a results topic that expires)
            asAdmin.ensure("results", 1, (short) 1, kafkascale.results.ResultsTopicRetention.CREATE_CONFIGS);
            asAdmin.ensure("results.dlq", 1, (short) 1);

            SampleGenerator generator = new SampleGenerator(13);
            Path jan = generator.writeMonth(work.resolve("data"), 2019, 1, RECORDS_PER_MONTH, Shape.DAT_GZ, false);
            Path feb = generator.writeMonth(work.resolve("data"), 2019, 2, RECORDS_PER_MONTH, Shape.DAT_GZ, false);
            Oracle oracle = new Oracle().add(jan, 2019).add(feb, 2019);

            // results authenticates with a JAAS line (as Strimzi's KafkaUser Secret holds it), the others with user and password
            Map<String, String> resultsEnv = role("results", bootstrap, null);
            resultsEnv.remove("KAFKA_SASL_USERNAME");
            resultsEnv.remove("KAFKA_SASL_PASSWORD");
            resultsEnv.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"results\""
                    + " password=\"" + USERS.get("results") + "\";");
            resultsEnv.put("RESULTS_GROUP", RESULTS_GROUP);
            AppProcess results = start("results", resultsEnv, processes);
            Map<String, String> computeEnv = role("compute", bootstrap, null);
            computeEnv.put("ADMIN_TOKEN", "compute-admin-token");
            AppProcess compute = start("compute", computeEnv, processes);
            Map<String, String> readEnv = role("read", bootstrap, null);
            readEnv.put("CENSUS_FILES", jan + "," + feb);
            AppProcess read = start("read", readEnv, processes);

            String resultsUrl = "http://127.0.0.1:" + resultsEnv.get("HTTP_PORT");
            results.awaitHttp(resultsUrl + "/progress", body -> body.contains("\"complete\":true"), Duration.ofMinutes(4));
            assertEquals(oracle.counts(), counts(resultsUrl), "/results equals the independent count");
            assertEquals(0, read.awaitExit(Duration.ofMinutes(1)), read.tail());
            assertTrue(compute.output().contains("Kafka security: SASL_PLAINTEXT SCRAM-SHA-512 as user compute"), compute.tail());
            for (AppProcess p : processes) {
                String log = p.output();
                for (String password : USERS.values()) {
                    assertTrue(!log.contains(password), "a password in " + p.log);
                }
            }
            // nor on the open management ports
            for (Map<String, String> env : List.of(computeEnv, resultsEnv)) {
                String management = "http://127.0.0.1:" + env.get("MANAGEMENT_PORT");
                for (String path : List.of("/observe/health?exposureLevel=full&stackTrace=true&data=true", "/observe/info",
                        "/observe/metrics")) {
                    String body = AppProcess.get(management + path, Map.of()).body();
                    for (String password : USERS.values()) {
                        assertTrue(!body.contains(password), "a password at " + management + path);
                    }
                }
            }

            // the compute user may not delete a topic: not as a one-shot role ...
            Map<String, String> rmtopics = role("compute", bootstrap, null);
            rmtopics.putAll(Map.of("CAMEL_ROLE", "rmtopics", "TOPIC", "results", "FORCE", "true"));
            AppProcess rm = start("rmtopics-as-compute", rmtopics, processes);
            assertEquals(1, rm.awaitExit(Duration.ofMinutes(2)), rm.tail());
            assertTrue(rm.output().contains("error: not authorized to delete topic results: Kafka's ACLs refuse this app's"
                    + " identity (SASL_PLAINTEXT SCRAM-SHA-512 as user compute)"), rm.tail());
            // ... nor through /admin with the right ADMIN_TOKEN: the token opens the app, Kafka's ACLs still decide
            HttpResponse<String> delete = AppProcess.send("http://127.0.0.1:" + computeEnv.get("HTTP_PORT")
                    + "/admin/topics/results?force=true", "DELETE", Map.of("Authorization", "Bearer compute-admin-token"), null);
            assertEquals(403, delete.statusCode(), delete.body());
            assertTrue(delete.body().contains("not authorized to delete topic results"), delete.body());
            try (Admin admin = asAdmin.newAdmin()) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(Set.of("compute", "results")),
                        "the topics are still there");
            }
            assertEquals(oracle.counts(), counts(resultsUrl), "and so are the results");

            // wrong credentials: every role ends at start with the reason, long before its broker wait
            Map<String, AppProcess> wrong = new TreeMap<>();
            for (String user : List.of("read", "compute", "results")) {
                Map<String, String> env = role(user, bootstrap, "wrong-password");
                env.put("KAFKA_BROKER_WAIT_SECONDS", "20");
                env.put("RESULTS_GROUP", RESULTS_GROUP);
                env.put("CENSUS_FILES", jan.toString());
                wrong.put(user, start(user + "-wrong-password", env, processes));
            }
            for (Map.Entry<String, AppProcess> role : wrong.entrySet()) {
                AppProcess p = role.getValue();
                int exit = p.awaitExit(Duration.ofSeconds(90));
                assertNotEquals(0, exit, role.getKey() + " must fail:\n" + p.tail());
                assertTrue(p.output().contains("refused this app's credentials (SASL_PLAINTEXT SCRAM-SHA-512 as user "
                        + role.getKey() + ")"), p.tail());
                assertTrue(!p.output().contains("wrong-password"), "no password in the log of " + role.getKey());
            }
            // and the pipeline's results were not touched by any of it
            assertEquals(oracle.counts(), counts(resultsUrl));
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
            keepLogs();
        }
    }

    /** The processes' logs, kept in target/kafka-acl-it for a look after the run. */
    void keepLogs() throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "kafka-acl-it"));
        try (var logs = Files.list(work.resolve("logs"))) {
            for (Path log : logs.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A single KRaft node with a SASL_PLAINTEXT SCRAM-SHA-512 listener, ACLs enforced, admin as the only super user. */
    AppProcess startBroker(int port, int controllerPort) throws Exception {
        Path dir = Files.createDirectories(work.resolve("broker"));
        String admin = USERS.get("admin");
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                // clients and the broker itself: SCRAM; the controller link: PLAIN (KRaft controllers cannot use SCRAM)
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"admin\" password=\"" + admin + "\";",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"admin\" password=\"" + admin + "\" user_admin=\"" + admin + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:admin",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false") + "\n");
        // SCRAM credentials go into the metadata log when it is formatted (kafka-storage format --add-scram)
        List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        USERS.forEach((user, password) -> format.addAll(List.of("--add-scram",
                MECHANISM + "=[name=" + user + ",password=" + password + "]")));
        runTool("format", "kafka.tools.StorageTool", format.toArray(String[]::new));
        return AppProcess.java(work.resolve("logs/broker.log"), Map.of(), "kafka.Kafka", config.toString());
    }

    /** The roles' ACLs, with Kafka's own kafka-acls (AclCommand), as the admin user. */
    void grantAcls(String bootstrap, Path adminConfig) throws Exception {
        List<List<String>> grants = List.of(
                // read: writes chunks and summaries, checks the topics exist
                List.of("--allow-principal", "User:read", "--operation", "Write", "--operation", "Describe",
                        "--topic", "compute", "--topic", "results"),
                // compute: reads chunks in its group, writes results and its dead letters
                List.of("--allow-principal", "User:compute", "--operation", "Read", "--operation", "Describe", "--topic", "compute"),
                List.of("--allow-principal", "User:compute", "--operation", "Write", "--operation", "Describe",
                        "--topic", "results", "--topic", "compute.dlq"),
                List.of("--allow-principal", "User:compute", "--operation", "Read", "--group", "kafka-scale-compute"),
                // results: reads results in its per-replica groups, writes its dead letters, looks at compute's progress
                List.of("--allow-principal", "User:results", "--operation", "Read", "--operation", "Describe",
                        "--operation", "DescribeConfigs", "--topic", "results"),
                List.of("--allow-principal", "User:results", "--operation", "Write", "--operation", "Describe", "--topic", "results.dlq"),
                List.of("--allow-principal", "User:results", "--operation", "Read", "--resource-pattern-type", "prefixed",
                        "--group", "kafka-scale-results"),
                List.of("--allow-principal", "User:results", "--operation", "Describe", "--topic", "compute",
                        "--group", "kafka-scale-compute"));
        int i = 0;
        for (List<String> grant : grants) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--command-config", adminConfig.toString(),
                    "--add", "--force"));
            args.addAll(grant);
            runTool("acl-" + i++, "kafka.admin.AclCommand", args.toArray(String[]::new));
        }
    }

    void runTool(String name, String mainClass, String... args) throws Exception {
        try (AppProcess tool = AppProcess.java(work.resolve("logs/" + name + ".log"), Map.of(), mainClass, args)) {
            assertEquals(0, tool.awaitExit(Duration.ofMinutes(2)), name + ":\n" + tool.tail());
        }
    }

    Path clientConfig(String user) throws IOException {
        Path file = work.resolve(user + "-client.properties");
        StringBuilder text = new StringBuilder();
        security(user).clientProperties().forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
        return file;
    }

    static KafkaSecurity security(String user) {
        Map<String, String> settings = Map.of("kafka.security-protocol", "SASL_PLAINTEXT", "kafka.sasl-mechanism", MECHANISM,
                "kafka.sasl-username", user, "kafka.sasl-password", USERS.get(user));
        return KafkaSecurity.fromSettings(settings::get);
    }

    /** The environment of one role with its own user; {@code password} null: the right one. */
    static Map<String, String> role(String user, String bootstrap, String password) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_ROLE", user);
        env.put("KAFKA_BROKERS", bootstrap);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", MECHANISM);
        env.put("KAFKA_SASL_USERNAME", user);
        env.put("KAFKA_SASL_PASSWORD", password == null ? USERS.get(user) : password);
        env.put("HTTP_PORT", Integer.toString(RunningApp.freePort()));
        env.put("MANAGEMENT_PORT", Integer.toString(RunningApp.freePort()));
        env.put("KAFKA_BROKER_WAIT_SECONDS", "60");
        return env;
    }

    AppProcess start(String name, Map<String, String> env, List<AppProcess> processes) throws IOException {
        AppProcess p = AppProcess.start(work.resolve("logs/" + name + ".log"), env, "-Duser.home=" + work.resolve("home"));
        processes.add(p);
        return p;
    }

    static void awaitPort(int port, AppProcess broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!broker.process.isAlive()) {
                    throw new AssertionError("the broker ended:\n" + broker.tail());
                }
                Thread.sleep(300);
            }
        }
        throw new AssertionError("the broker does not listen on " + port + ":\n" + broker.tail());
    }

    /** /results as year -> code -> count. */
    static Map<String, Map<String, Long>> counts(String resultsUrl) throws Exception {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        JSON.readTree(AppProcess.get(resultsUrl + "/results", Map.of()).body()).fields().forEachRemaining(year -> {
            Map<String, Long> codes = new TreeMap<>();
            year.getValue().fields().forEachRemaining(c -> codes.put(c.getKey(), c.getValue().get("Count").asLong()));
            out.put(year.getKey(), codes);
        });
        return out;
    }
}
