package kafkascale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs scripts/fault-suite.sh: six fault cases on separate broker and role processes, each ending in
 * an exact comparison of /results with the independent count. Its output is kept in
 * target/fault-suite.txt for the README.
 */
class FaultSuiteIT {

    @TempDir
    Path work;

    @Test
    void everyFaultCaseCountsExactly() throws Exception {
        Path output = Path.of("target", "fault-suite.txt");
        Process suite = new ProcessBuilder("bash", "scripts/fault-suite.sh")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(suite.waitFor(25, TimeUnit.MINUTES), "the fault suite ran too long");
        String text = Files.readString(output);
        List<String> verdicts = text.lines().filter(l -> l.contains(" expected ") && l.contains(" counted ")).toList();
        assertEquals(0, suite.exitValue(), text);
        assertEquals(7, verdicts.size(), text);
        assertTrue(verdicts.stream().allMatch(l -> l.endsWith("PASS")), text);
    }
}
