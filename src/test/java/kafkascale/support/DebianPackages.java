package kafkascale.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs a test needs from Debian's packages: installed with apt-get when missing and the tests
 * run as root (as CI does); otherwise the test is aborted with the install command, visibly.
 */
public final class DebianPackages {

    private DebianPackages() {
    }

    public static void ensure(List<String> binaries, String... packages) throws Exception {
        if (!present(binaries) && "root".equals(System.getProperty("user.name"))) {
            run("apt-get", "update", "-qq");
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            install.addAll(List.of(packages));
            run(install.toArray(String[]::new));
        }
        Assumptions.assumeTrue(present(binaries),
                "missing " + binaries + ": apt-get install " + String.join(" ", packages) + " (CI installs it)");
    }

    private static boolean present(List<String> binaries) {
        return binaries.stream().allMatch(b -> Files.isExecutable(Path.of(b)));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        p.getOutputStream().close();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
