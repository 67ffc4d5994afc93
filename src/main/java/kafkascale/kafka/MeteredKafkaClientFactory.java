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
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
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
 * <p>A new producer also asks for the results topic's partitions in the background, so it connects
 * at start and the producer health check (which asks whether the client has a ready connection)
 * reports readiness before the first record is sent.
 */
public final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements CamelContextAware {

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

    private CamelContext camelContext;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        Producer producer = super.getProducer(kafkaProps);
        bind(new KafkaClientMetrics(producer, List.of(), REFRESH));
        String topic = camelContext == null ? null
                : camelContext.getPropertiesComponent().resolveProperty("kafka.results-topic").orElse(null);
        if (topic != null) {
            Thread warmUp = new Thread(() -> {
                try {
                    producer.partitionsFor(topic);
                } catch (RuntimeException e) {
                    LOG.warn("Kafka producer cannot reach the brokers yet: {}", e.getMessage());
                }
            }, "kafka-producer-connect");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        return producer;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer consumer = super.getConsumer(kafkaProps);
        bind(new KafkaClientMetrics(consumer, List.of(), REFRESH));
        return consumer;
    }

    private void bind(KafkaClientMetrics metrics) {
        MeterRegistry registry = camelContext == null ? null : camelContext.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            metrics.bindTo(registry);
        }
    }
}
