package kafkascale.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-kafka's client factory, plus Micrometer's {@link KafkaClientMetrics} bound to every producer
 * and consumer it makes, so the clients' own metrics (records-lag per partition, records-lag-max,
 * records-consumed-rate, fetch-rate, record-send-rate, …) are exported with the app's metrics.
 *
 * Every client also gets the shared connection settings ({@link KafkaClientSettings}).
 *
 * <p>A new producer also asks for a topic's partitions in the background, so it connects
 * at start and the producer health check (which asks whether the client has a ready connection)
 * reports readiness before the first record is sent.
 */
public final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(MeteredKafkaClientFactory.class);

    /** How often new client metrics (per-partition lag appears only once partitions are assigned) are bound. */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(5);

    /**
     * Micrometer binds a client's new metrics once a minute; this scheduler runs that check every
     * {@link #METRICS_REFRESH} instead, so a newly assigned partition's lag shows within seconds.
     */
    private static final ScheduledExecutorService REFRESH = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "kafka-client-metrics");
        thread.setDaemon(true);
        return thread;
    }) {
        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            long refresh = Math.min(unit.toMillis(period), METRICS_REFRESH.toMillis());
            return super.scheduleAtFixedRate(command, refresh, refresh, TimeUnit.MILLISECONDS);
        }
    };

    private final KafkaClientSettings settings;
    private final String warmUpTopic;
    private final Supplier<MeterRegistry> registry;

    /**
     * @param settings    the connection settings every client gets (they win over the endpoint's)
     * @param warmUpTopic a topic whose partitions a new producer asks for at once, so it connects at start
     * @param registry    where the client metrics go (found once Camel has created it)
     */
    public MeteredKafkaClientFactory(KafkaClientSettings settings, String warmUpTopic, Supplier<MeterRegistry> registry) {
        this.settings = settings;
        this.warmUpTopic = warmUpTopic;
        this.registry = registry;
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        settings.applyTo(kafkaProps);
        Producer producer = super.getProducer(kafkaProps);
        bind(new KafkaClientMetrics(producer, List.of(), REFRESH));
        Thread warmUp = new Thread(() -> {
            try {
                producer.partitionsFor(warmUpTopic);
            } catch (RuntimeException e) {
                LOG.warn("Kafka producer cannot reach the brokers yet: {}", e.getMessage());
            }
        }, "kafka-producer-connect");
        warmUp.setDaemon(true);
        warmUp.start();
        return producer;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        settings.applyTo(kafkaProps);
        Consumer consumer = super.getConsumer(kafkaProps);
        bind(new KafkaClientMetrics(consumer, List.of(), REFRESH));
        return consumer;
    }

    private void bind(KafkaClientMetrics metrics) {
        MeterRegistry found = registry.get();
        if (found != null) {
            metrics.bindTo(found);
        }
    }
}
