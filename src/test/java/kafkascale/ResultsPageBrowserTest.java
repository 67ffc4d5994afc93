package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kafkascale.census.SampleGenerator;
import kafkascale.census.SampleGenerator.Shape;
import kafkascale.support.TestKafka;
import kafkascale.support.Chromium;
import kafkascale.support.DebianPackages;
import kafkascale.support.Oracle;
import kafkascale.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The results page in a real browser (Debian's headless Chromium through chromedriver): it must show
 * `complete` and the same numbers as /results and the independent count, and say clearly when the
 * server is gone.
 */
class ResultsPageBrowserTest {

    @TempDir
    static Path data;

    @Test
    void pageShowsTheCountsAndProgressOfARun() throws Exception {
        DebianPackages.ensure(List.of("/usr/bin/chromium", "/usr/bin/chromedriver"), "chromium", "chromium-driver");
        SampleGenerator generator = new SampleGenerator(8);
        Path jan = generator.writeMonth(data, 2019, 1, 3_000, Shape.DAT_GZ, false);
        Path jan24 = generator.writeMonth(data, 2024, 1, 2_000, Shape.CSV, false);
        Map<String, Map<String, Long>> expected = new Oracle().add(jan, 2019).add(jan24, 2024).counts();

        WebDriver browser = null;
        try (TestKafka broker = TestKafka.start();
             RunningApp app = RunningApp.start(Map.of(
                     "kafka.brokers", broker.bootstrapServers(),
                     "kafka.compute-topic", "page-compute",
                     "kafka.results-topic", "page-results",
                     "compute.delay-ms", "5",
                     "census.files", jan + "," + jan24))) {
            browser = Chromium.start();
            browser.get("http://127.0.0.1:" + app.port + "/");
            WebDriver page = browser;
            new WebDriverWait(page, Duration.ofSeconds(90))
                    .until(d -> "complete".equals(d.findElement(By.id("status")).getText()));
            // the page reads /progress before /results, so once it shows complete the table is final

            assertEquals(expected, app.counts(), "/results equals the independent count");
            assertEquals(expected, tableCounts(page), "the page shows /results' numbers");
            assertEquals("HOUSE, APARTMENT, FLAT",
                    page.findElement(By.cssSelector("#results tr[data-code='1'] td:nth-child(2)")).getText());
            assertEquals(2 * 13, page.findElements(By.cssSelector("#chart svg rect")).size(), "a bar per code and year");
            List<WebElement> sources = page.findElements(By.cssSelector("#progress tbody tr"));
            assertEquals(2, sources.size());
            assertTrue(sources.get(0).getText().contains("counted"), sources.get(0).getText());
            assertEquals(10, page.findElements(By.cssSelector("#lag tbody tr")).size() - 1, "a row per compute partition");
            assertTrue(page.findElement(By.cssSelector("#lag tbody tr:last-child")).getText().matches("total\\s+\\S+\\s+\\S+\\s+0"));
            assertFalse(page.findElement(By.id("progress-error")).isDisplayed());
            // the compute workers section: this JVM's two compute consumers (`all` runs two), as /scaling has them
            JsonNode members = app.await("/scaling", v -> "ok".equals(v.path("status").asText())
                    && v.at("/current/memberCount").asInt() == 2, Duration.ofSeconds(30)).at("/current/members");
            for (JsonNode member : members) {
                String id = member.path("memberId").asText();
                new WebDriverWait(page, Duration.ofSeconds(30)).until(d ->
                        d.findElements(By.cssSelector("#scaling-members tbody tr[data-member-id='" + id + "']")).size() == 1);
            }
            assertEquals(2, page.findElements(By.cssSelector("#scaling-members tbody tr")).size());
            // the page polls /scaling on its own clock: the same two members can first arrive in a sample
            // still marked rebalancing, so wait for the page's next poll rather than read it once
            new WebDriverWait(page, Duration.ofSeconds(30)).until(d ->
                    "ok".equals(d.findElement(By.id("scaling-status")).getAttribute("data-status")));

            Path shot = Path.of("target", "results-page.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

            app.close();
            new WebDriverWait(page, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.id("progress-error")).isDisplayed());
            assertTrue(page.findElement(By.id("progress-error")).getText().startsWith("Cannot load this part"));
            assertTrue(page.findElement(By.id("status")).getText().contains("unavailable"));
            // the workers section polls on its own timer, so it may say so a poll later
            new WebDriverWait(page, Duration.ofSeconds(30)).withMessage("the workers section says /scaling is down")
                    .until(d -> d.findElement(By.id("scaling-error")).isDisplayed());
            assertEquals(2, page.findElements(By.cssSelector("#scaling-members tbody tr[data-member-id]")).size(), "and keeps its table");
            assertFalse(page.findElements(By.cssSelector("#results tbody tr")).isEmpty(), "the last numbers stay visible");
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    private static Map<String, Map<String, Long>> tableCounts(WebDriver page) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (WebElement row : page.findElements(By.cssSelector("#results tbody tr"))) {
            String code = row.getAttribute("data-code");
            for (WebElement cell : row.findElements(By.cssSelector("td[data-year]"))) {
                long shown = Long.parseLong(cell.getText().replace(",", ""));
                counts.computeIfAbsent(cell.getAttribute("data-year"), y -> new TreeMap<>()).put(code, shown);
            }
        }
        return counts;
    }
}
