package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import kafkascale.support.Chromium;
import kafkascale.support.DebianPackages;
import kafkascale.support.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * scripts/demo-scale.sh as the proof of issue #16: a broker process, the results role and compute
 * processes joining and leaving. /scaling must show 1, then 2, then 3 members whose partitions are
 * disjoint and cover the topic, a higher rate with more workers (each chunk costs COMPUTE_DELAY_MS,
 * so CPU is not the limit), exact counts at the end, and "unavailable" with the last members once
 * the broker is gone. Headless Chromium shows the same members and one marker per change.
 */
class ScalingDemoIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int PARTITIONS = 10;

    @TempDir
    Path work;

    @Test
    void workersJoinAndLeaveAndThePageShowsIt() throws Exception {
        DebianPackages.ensure(List.of("/usr/bin/chromium", "/usr/bin/chromedriver"), "chromium", "chromium-driver");
        WebDriver browser = null;
        try (LocalCluster demo = LocalCluster.run("scripts/demo-scale.sh", work, "--records-per-month", "30000",
                "--compute-delay-ms", "50", "--step-seconds", "30", "--http-port", "0")) {
            String url = demo.awaitState("RESULTS_URL", Duration.ofMinutes(5)).get("RESULTS_URL");
            awaitPage(url, Duration.ofMinutes(3)); // "/" is the last route the results role starts
            browser = Chromium.start();
            browser.get(url + "/");

            for (int members = 1; members <= 3; members++) {
                int n = members;
                JsonNode view = await(url, v -> "ok".equals(v.path("status").asText())
                        && v.at("/current/memberCount").asInt() == n, Duration.ofMinutes(4));
                assertDisjointAndCovering(view.at("/current/members"));
                assertEquals(members, view.at("/current/members").size());
                if (members == 3) {
                    pageMatches(browser, url, 3);
                }
            }

            JsonNode afterLeave = await(url, v -> "ok".equals(v.path("status").asText())
                    && v.at("/current/memberCount").asInt() == 2 && hasLeft(v), Duration.ofMinutes(4));
            assertDisjointAndCovering(afterLeave.at("/current/members"));
            await(url, v -> v.at("/current/memberCount").asInt() == 2 && ratesKnown(v), Duration.ofMinutes(1));
            pageMatches(browser, url, 2);
            // for the picture: wait until the page's next refresh has every member's rate (a refresh
            // replaces the rows: a row read as it is replaced is read again, as pageMatches does)
            new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until(d -> d.findElements(
                    By.cssSelector("#scaling-members tbody tr[data-member-id] td:last-child")).stream()
                    .noneMatch(td -> td.getText().equals("–")));
            WebElement section = browser.findElement(By.id("scaling-section"));
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true)", section);
            Path shot = Path.of("target", "scaling-page.png");
            Files.createDirectories(shot.getParent());
            Files.copy(section.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

            Map<String, String> state = demo.awaitState("COMPLETE", Duration.ofMinutes(10));
            assertEquals(LocalClusterIT.oracle(state).counts(), LocalClusterIT.counts(url), "/results equals the independent count");

            JsonNode done = await(url, v -> v.at("/current/lag").asLong(-1) == 0, Duration.ofMinutes(1));
            long produced = 0;
            // one run: each survey month's only attempt says how many chunks the reader sent
            for (JsonNode month : JSON.readTree(LocalClusterIT.get(url + "/progress")).get("months")) {
                JsonNode attempts = month.get("attempts");
                produced += attempts.get(attempts.size() - 1).get("chunks").asLong();
            }
            assertEquals(6_000, produced, "2 x 30000 records in chunks of 10");
            assertEquals(produced, done.at("/current/committed").asLong(), "every chunk committed, as /scaling counts them");
            assertEquals(produced, done.at("/current/logEnd").asLong());

            assertMembershipStory(done.get("events"));
            assertRateRisesWithWorkers(done);

            long brokerPid = demo.pids().get("broker-1");
            ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
            JsonNode away = await(url, v -> "unavailable".equals(v.path("status").asText()), Duration.ofMinutes(1));
            assertTrue(away.at("/current/stale").asBoolean());
            assertEquals(2, away.at("/current/members").size(), "the last members stay on show");
            assertFalse(away.path("error").asText().isBlank());
            WebDriver page = browser;
            new WebDriverWait(page, Duration.ofSeconds(30)).until(d ->
                    "unavailable".equals(d.findElement(By.id("scaling-status")).getAttribute("data-status")));
            assertTrue(page.findElement(By.id("scaling-status")).getText().startsWith("Kafka unreachable"));
            assertEquals(2, page.findElements(By.cssSelector("#scaling-members tbody tr.stale")).size());
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    static boolean ratesKnown(JsonNode view) {
        for (JsonNode m : view.at("/current/members")) {
            if (m.get("chunksPerSecond").isNull()) {
                return false;
            }
        }
        return true;
    }

    static boolean hasLeft(JsonNode view) {
        for (JsonNode e : view.get("events")) {
            if ("left".equals(e.get("kind").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The events in which members joined or left. (A "reassigned" event may come too: compute-1 can
     * join before the compute topic exists and get its partitions once the topic is there.)
     */
    static List<JsonNode> membershipChanges(JsonNode events) {
        List<JsonNode> changes = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"reassigned".equals(e.get("kind").asText())) {
                changes.add(e);
            }
        }
        return changes;
    }

    /** compute-1, then compute-2 and compute-3 joined one at a time, then compute-2 left. */
    static void assertMembershipStory(JsonNode allEvents) {
        List<JsonNode> events = membershipChanges(allEvents);
        List<String> story = new ArrayList<>();
        for (JsonNode e : events) {
            story.add(e.get("kind").asText() + " " + e.get("joined") + " " + e.get("left"));
        }
        assertEquals(4, story.size(), allEvents.toString());
        assertTrue(story.get(0).matches("(joined|seen) \\[\"compute-1\"] \\[]"), story.toString());
        assertEquals(List.of("joined [\"compute-2\"] []", "joined [\"compute-3\"] []", "left [] [\"compute-2\"]"),
                story.subList(1, 4));
        assertTrue(events.get(2).get("text").asText().startsWith("compute-3 joined: 10 partitions → 4/3/3"),
                events.get(2).toString());
    }

    /**
     * The best rate of each phase, from samples whose whole rate span lies inside the phase: more
     * workers, more chunks per second.
     */
    static void assertRateRisesWithWorkers(JsonNode view) {
        List<JsonNode> events = membershipChanges(view.get("events"));
        long span = view.get("rateSpanMs").asLong();
        double[] best = new double[4];
        for (int phase = 1; phase <= 3; phase++) {
            long from = events.get(phase - 1).get("at").asLong() + span;
            long to = events.get(phase).get("at").asLong();
            for (JsonNode s : view.get("samples")) {
                long at = s.get("at").asLong();
                if (at >= from && at < to && s.get("available").asBoolean() && s.get("members").asInt() == phase
                        && !s.get("chunksPerSecond").isNull()) {
                    best[phase] = Math.max(best[phase], s.get("chunksPerSecond").asDouble());
                }
            }
        }
        String rates = "best chunks/s with 1, 2, 3 workers: " + best[1] + ", " + best[2] + ", " + best[3];
        System.out.println(rates);
        assertTrue(best[1] > 0, rates);
        assertTrue(best[2] > 1.2 * best[1], rates);
        assertTrue(best[3] > best[2], rates);
        assertTrue(best[3] > 1.5 * best[1], rates);
    }

    /** The member table and the chart's markers show what /scaling says (retried: the page polls on its own). */
    static void pageMatches(WebDriver page, String url, int members) {
        String[] last = {""};
        try {
            new WebDriverWait(page, Duration.ofSeconds(30)).until(d -> {
                try {
                    JsonNode view = JSON.readTree(LocalClusterIT.get(url + "/scaling"));
                    List<String> expectedRows = new ArrayList<>();
                    for (JsonNode m : view.at("/current/members")) {
                        List<String> partitions = new ArrayList<>();
                        m.get("partitions").forEach(p -> partitions.add(p.asText()));
                        expectedRows.add(m.get("memberId").asText() + " " + m.get("label").asText() + " "
                                + String.join(", ", partitions));
                    }
                    List<String> shownRows = new ArrayList<>();
                    for (WebElement row : d.findElements(By.cssSelector("#scaling-members tbody tr"))) {
                        shownRows.add(row.getAttribute("data-member-id") + " "
                                + row.findElement(By.cssSelector("td:first-child")).getText() + " "
                                + row.findElement(By.cssSelector("td.partitions")).getText());
                    }
                    List<String> expectedMarkers = new ArrayList<>();
                    view.get("events").forEach(e -> expectedMarkers.add(e.get("at").asText()));
                    List<String> shownMarkers = new ArrayList<>();
                    d.findElements(By.cssSelector("#scaling-chart g.scaling-marker"))
                            .forEach(g -> shownMarkers.add(g.getAttribute("data-at")));
                    last[0] = "rows " + shownRows + " vs " + expectedRows + "; markers " + shownMarkers + " vs " + expectedMarkers;
                    return expectedRows.size() == members && expectedRows.equals(shownRows)
                            && expectedMarkers.equals(shownMarkers);
                } catch (Exception e) {
                    last[0] = e.toString();
                    return false;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            String body = page.findElement(By.tagName("body")).getText();
            throw new AssertionError("the page does not show /scaling: " + last[0] + "\npage " + page.getCurrentUrl()
                    + ":\n" + body.substring(0, Math.min(body.length(), 1500)), e);
        }
    }

    static void awaitPage(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (LocalClusterIT.get(url + "/").contains("id=\"scaling-section\"")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not serving yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no results page at " + url + "/ after " + timeout);
    }

    static JsonNode await(String url, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = JSON.readTree(LocalClusterIT.get(url + "/scaling"));
                if (done.test(last)) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // not serving yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting on /scaling; last answer: " + last);
    }

    static void assertDisjointAndCovering(JsonNode members) {
        TreeSet<Integer> owned = new TreeSet<>();
        for (JsonNode m : members) {
            for (JsonNode p : m.get("partitions")) {
                assertTrue(owned.add(p.asInt()), "partition " + p + " owned twice: " + members);
            }
        }
        TreeSet<Integer> all = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(p);
        }
        assertEquals(all, owned, "the members own every partition: " + members);
    }
}
