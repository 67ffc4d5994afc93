package kafkascale.app;

import java.util.function.IntConsumer;
import org.apache.camel.main.Main;

/** Camel Main that a finished one-shot role or reader can end with an exit code. */
public final class KafkaScaleMain extends Main implements IntConsumer {

    public KafkaScaleMain() {
        super(KafkaScaleMain.class, KafkaScaleConfiguration.class);
    }

    /** Ends the run with {@code code} (from any thread). */
    @Override
    public void accept(int code) {
        exitCode.compareAndSet(UNINITIALIZED_EXIT_CODE, code);
        new Thread(this::completed, "kafka-scale-done").start();
    }
}
