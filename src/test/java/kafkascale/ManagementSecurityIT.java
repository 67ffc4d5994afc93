package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import kafkascale.support.AppProcess;
import kafkascale.support.RunningApp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: nothing that executes or reveals answers an unauthenticated caller. The real app (the
 * jar, `all` on its embedded broker, ADMIN_TOKEN in its environment) runs with the developer console
 * switched on; every console it lists, and every one Camel ships that executes or reveals, is called on
 * every port and interface with hostile parameters. No answer holds the token, no Kafka message or
 * file appears, no route stops; routes are still listed on loopback. A second run with the defaults
 * serves no console at all, while health and metrics answer on the non-loopback interface.
 */
class ManagementSecurityIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "admin-token-" + UUID.randomUUID();
    static final Map<String, String> ACCEPT_JSON = Map.of("Accept", "application/json");

    /** Camel 4.18 consoles that execute or reveal (and the "all" alias): probed even though the app lists none. */
    static final List<String> DANGEROUS = List.of("send", "receive", "eval-language", "simple-language", "debug", "trace",
            "reload", "browse", "bean", "bean-model", "properties", "main-configuration", "variables", "system-properties",
            "jvm", "java-security", "log", "message-history", "source", "route-dump", "all", "index");

    @TempDir
    static Path work;
    static Path loot;
    static AppProcess app;
    static int httpPort;
    static int managementPort;
    static int consolePort;
    static int kafkaPort;
    static Optional<String> lanAddress;

    @BeforeAll
    static void startWithTheConsoleOn() throws Exception {
        loot = Files.createDirectories(work.resolve("loot"));
        httpPort = RunningApp.freePort();
        managementPort = RunningApp.freePort();
        consolePort = RunningApp.freePort();
        kafkaPort = RunningApp.freePort();
        lanAddress = AppProcess.nonLoopbackAddress();
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_ROLE", "all");
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("ADMIN_TOKEN", TOKEN);
        env.put("CAMEL_DEV_CONSOLE_ENABLED", "true");
        env.put("CLI_CONNECTOR_ENABLED", "true"); // off by default; on, it must reveal no more than the console
        env.put("DEV_CONSOLE_PORT", Integer.toString(consolePort));
        env.put("SAMPLE_DIR", work.resolve("sample").toString());
        env.put("SAMPLE_RECORDS_PER_MONTH", "2000");
        app = AppProcess.start(work.resolve("app.log"), env, "-Duser.home=" + work.resolve("home"));
        app.awaitHttp(http("/progress"), body -> body.contains("\"complete\":true"), Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    static String http(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    static String console(String path) {
        return "http://127.0.0.1:" + consolePort + path;
    }

    @Test
    void everyConsoleOnEveryPortWithHostileParametersRevealsNothingSendsNothingStopsNothing() throws Exception {
        Set<String> listed = listedConsoles();
        assertTrue(listed.contains("route"), listed.toString());
        for (String dangerous : DANGEROUS) {
            assertFalse(listed.contains(dangerous), dangerous + " must not be listed by default: " + listed);
        }
        Map<TopicPartition, Long> offsetsBefore = endOffsets();
        Map<String, String> routesBefore = routeStates();
        assertTrue(routesBefore.size() > 10 && routesBefore.values().stream().allMatch("Started"::equals), routesBefore.toString());

        List<String> bases = new ArrayList<>(List.of(console(""), "http://127.0.0.1:" + managementPort, http("")));
        lanAddress.ifPresent(ip -> bases.add("http://" + ip + ":" + managementPort));
        Set<String> ids = new TreeSet<>(listed);
        ids.addAll(DANGEROUS);
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (String base : bases) {
            for (String id : ids) {
                for (String query : hostileQueries()) {
                    for (Map<String, String> headers : List.of(Map.<String, String>of(), ACCEPT_JSON)) {
                        HttpResponse<String> answer = AppProcess.get(base + "/q/dev/" + id + "?" + query, headers);
                        calls++;
                        if (answer.body().contains(TOKEN)) {
                            failures.add(base + "/q/dev/" + id + "?" + query + " revealed the token");
                        }
                        if (!base.equals(console("")) && answer.statusCode() != 404) {
                            failures.add(base + "/q/dev/" + id + " answered " + answer.statusCode() + " off the loopback console");
                        }
                    }
                }
            }
            // Camel's other executing endpoints: jolokia, upload, download, send
            for (String[] call : new String[][] {
                    {"POST", "/observe/jolokia/", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"}"},
                    {"GET", "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties", null},
                    {"PUT", "/q/upload/leak.txt", TOKEN},
                    {"GET", "/q/download/application.properties", null},
                    {"POST", "/q/send?endpoint=" + encode("file:" + loot + "?fileName=sent.txt"), "x"},
                    {"GET", "/observe/info", null},
                    {"GET", "/observe/health?exposureLevel=full&stackTrace=true&data=true", null}}) {
                HttpResponse<String> answer = AppProcess.send(base + call[1], call[0], Map.of(), call[2]);
                calls++;
                if (answer.body().contains(TOKEN)) {
                    failures.add(call[0] + " " + base + call[1] + " revealed the token");
                }
                if (!call[1].startsWith("/observe/info") && !call[1].startsWith("/observe/health")
                        && answer.statusCode() / 100 == 2) {
                    failures.add(call[0] + " " + base + call[1] + " answered " + answer.statusCode());
                }
            }
        }
        assertEquals(List.of(), failures, "after " + calls + " calls");
        assertTrue(calls > 1000, "probed " + calls);

        assertEquals(offsetsBefore, endOffsets(), "no message was written to any topic");
        try (Stream<Path> files = Files.walk(loot)) {
            assertEquals(List.of(loot), files.toList(), "no file was written");
        }
        assertFalse(Files.exists(Path.of("leak.txt")) || Files.exists(work.resolve("home").resolve("leak.txt")));
        assertEquals(routesBefore, routeStates(), "no route was stopped or suspended");
        assertEquals(200, AppProcess.get("http://127.0.0.1:" + managementPort + "/observe/health/ready", Map.of()).statusCode());
        assertFalse(app.output().contains(TOKEN), "the log holds no token");
    }

    /** Query strings that make Camel's consoles execute: evaluate, send, poll, act on routes and processors. */
    static List<String> hostileQueries() {
        String leak = "${env:ADMIN_TOKEN}";
        return List.of(
                "",
                "language=simple&template=" + encode(leak) + "&expression=" + encode(leak) + "&predicate=false",
                "language=simple&template=" + encode("${sys:user.home} ${properties:admin.token}"),
                "endpoint=" + encode("file:" + loot + "?fileName=leak.txt") + "&body=" + encode(leak),
                "endpoint=" + encode("kafka:compute") + "&body=forged",
                "endpoint=" + encode("kafka:results") + "&body=" + encode("{\"forged\":true}") + "&exchangePattern=InOut",
                "endpoint=" + encode("kafka:results") + "&poll=true&pollTimeout=200",
                "action=stop&filter=*",
                "action=suspend&filter=*",
                "action=disable&filter=*",
                "action=reset-stats",
                "enabled=true&dump=true",
                "reload=true",
                "command=step&breakpoint=*");
    }

    @Test
    void routeInspectionStillWorksReadOnlyOnLoopbackAndThroughTheCliConnector() throws Exception {
        JsonNode routes = JSON.readTree(AppProcess.get(console("/q/dev/route"), ACCEPT_JSON).body()).path("route").path("routes");
        Set<String> ids = new TreeSet<>();
        routes.forEach(r -> ids.add(r.path("routeId").asText()));
        assertTrue(ids.containsAll(List.of("compute-chunk", "read-download", "results-count", "topic-setup-ensure")), ids.toString());
        assertTrue(AppProcess.get(console("/q/dev/route"), Map.of()).body().contains("Id: compute-chunk"));

        // the Camel CLI connector (camel get route) reads the same, through files in the user's home
        Path status = work.resolve("home").resolve(".camel").resolve(app.process.pid() + "-status.json");
        String cli = app.awaitFile(status, text -> text.contains("compute-chunk"), Duration.ofSeconds(30));
        assertTrue(cli.contains("read-download"), cli);
        assertFalse(cli.contains(TOKEN), "no token in the CLI status");
    }

    @Test
    void theConsoleListensOnLoopbackOnlyAndNotOnTheManagementPort() throws Exception {
        assertEquals(404, AppProcess.get("http://127.0.0.1:" + managementPort + "/q/dev/route", Map.of()).statusCode());
        assertTrue(app.output().contains("Camel developer console on http://127.0.0.1:" + consolePort + "/q/dev (loopback only"),
                "the console's bind address is logged");
        if (lanAddress.isPresent()) {
            String ip = lanAddress.get();
            assertEquals(200, AppProcess.get("http://" + ip + ":" + managementPort + "/observe/health/live", Map.of()).statusCode(),
                    "the management port answers on " + ip + " (so this address is reachable)");
            assertTrue(refused(ip, consolePort), "the console port must not accept connections on " + ip);
        }
    }

    @Test
    void withTheDefaultsNoConsoleAnswersAnywhere() throws Exception {
        int http = RunningApp.freePort();
        int management = RunningApp.freePort();
        int unusedConsole = RunningApp.freePort();
        try (AppProcess defaults = AppProcess.start(work.resolve("defaults.log"), Map.of(
                "CAMEL_ROLE", "results",
                "KAFKA_BROKERS", "127.0.0.1:" + kafkaPort,
                "RESULTS_GROUP", "security-defaults-probe",
                "ADMIN_TOKEN", TOKEN,
                "HTTP_PORT", Integer.toString(http),
                "MANAGEMENT_PORT", Integer.toString(management),
                "DEV_CONSOLE_PORT", Integer.toString(unusedConsole)), "-Duser.home=" + work.resolve("home2"))) {
            String mgmt = "http://127.0.0.1:" + management;
            defaults.awaitHttp(mgmt + "/observe/health/ready", body -> body.contains("UP"), Duration.ofMinutes(2));
            List<String> bases = new ArrayList<>(List.of(mgmt, "http://127.0.0.1:" + http));
            lanAddress.ifPresent(ip -> bases.add("http://" + ip + ":" + management));
            for (String base : bases) {
                for (String id : List.of("", "route", "send", "eval-language", "properties", "all")) {
                    HttpResponse<String> answer = AppProcess.get(base + "/q/dev/" + id + "?language=simple&template="
                            + encode("${env:ADMIN_TOKEN}"), Map.of());
                    assertEquals(404, answer.statusCode(), base + "/q/dev/" + id + ": " + answer.body());
                    assertFalse(answer.body().contains(TOKEN));
                }
            }
            assertTrue(refused("127.0.0.1", unusedConsole), "no console listener with the defaults");
            assertTrue(defaults.output().contains("Camel developer console (/q/dev) is off"), defaults.tail());
            if (lanAddress.isPresent()) {
                String lan = "http://" + lanAddress.get() + ":" + management;
                assertEquals(200, AppProcess.get(lan + "/observe/health/live", Map.of()).statusCode());
                assertTrue(AppProcess.get(lan + "/observe/metrics", Map.of()).body().contains("kafka_scale_role"),
                        "health and metrics stay open for probes and Prometheus");
            }
        }
    }

    @Test
    void enablingConsolesOnTheOpenManagementPortIsRefusedAtStart() throws Exception {
        try (AppProcess unsafe = AppProcess.start(work.resolve("unsafe.log"), Map.of(
                "CAMEL_ROLE", "results",
                "KAFKA_BROKERS", "127.0.0.1:" + kafkaPort,
                "RESULTS_GROUP", "security-unsafe-probe",
                "HTTP_PORT", Integer.toString(RunningApp.freePort()),
                "MANAGEMENT_PORT", Integer.toString(RunningApp.freePort()),
                "CAMEL_MANAGEMENT_DEV_CONSOLE_ENABLED", "true",
                "CAMEL_MANAGEMENT_JOLOKIA_ENABLED", "true"))) {
            assertNotEquals(0, unsafe.awaitExit(Duration.ofMinutes(2)));
            assertTrue(unsafe.output().contains("camel.management.dev-console-enabled, camel.management.jolokia-enabled would answer on 0.0.0.0"),
                    unsafe.tail());
        }
    }

    static Set<String> listedConsoles() throws Exception {
        Set<String> ids = new TreeSet<>();
        JSON.readTree(AppProcess.get(console("/q/dev"), ACCEPT_JSON).body()).fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    static Map<String, String> routeStates() throws Exception {
        Map<String, String> states = new TreeMap<>();
        JSON.readTree(AppProcess.get(console("/q/dev/route"), ACCEPT_JSON).body()).path("route").path("routes")
                .forEach(r -> states.put(r.path("routeId").asText(), r.path("state").asText()));
        return states;
    }

    /** The log end offset of every partition of every topic, read straight from the broker. */
    static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            Set<String> topics = admin.listTopics().names().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            assertTrue(out.keySet().stream().anyMatch(tp -> tp.topic().equals("compute")), out.toString());
            return out;
        }
    }

    static boolean refused(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
