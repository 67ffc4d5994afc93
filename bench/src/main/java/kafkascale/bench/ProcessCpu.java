package kafkascale.bench;

import java.time.Duration;

/** CPU time this JVM has used so far (every thread, user and system), in seconds. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    static double seconds() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
    }
}
