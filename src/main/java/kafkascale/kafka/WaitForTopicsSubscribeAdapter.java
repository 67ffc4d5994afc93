package kafkascale.kafka;

import java.time.Duration;
import java.util.Collection;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every camel-kafka consumer of the app subscribes (camel-kafka looks a {@link SubscribeAdapter} up
 * under the name {@code subscribeAdapter}): only once its topics exist, then as Camel's default does.
 *
 * <p>Why: a consumer group that forms before its topic exists gets no partitions. When the topic
 * appears the group rebalances, but each member hears of it only at its next heartbeat (3 s by
 * default). In `all`, whose routes start while the read route creates the compute topic, the two
 * compute consumers sat idle for the first 2.5-3 s of a run. Waiting here costs a metadata request
 * every 100 ms until the role's own topic setup has created the topic.
 *
 * <p>Bounded by the time a role waits for its broker: past it the consumer subscribes anyway, as
 * before, and the group picks the topic up when it appears. A consumer that may not see the topic
 * (an authorization error) subscribes at once and meets the error where it always did, at its poll.
 */
public final class WaitForTopicsSubscribeAdapter implements SubscribeAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WaitForTopicsSubscribeAdapter.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(1);
    private static final long RETRY_MILLIS = 100;

    private final SubscribeAdapter subscribe = new DefaultSubscribeAdapter();
    private final Duration maxWait;

    public WaitForTopicsSubscribeAdapter(Duration maxWait) {
        this.maxWait = maxWait;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener, TopicInfo topics) {
        if (!topics.isPattern()) {
            awaitTopics(consumer, topics.getTopics());
        }
        subscribe.subscribe(consumer, listener, topics);
    }

    /** Returns once every topic has partitions, the wait is over, or the consumer may not see them. */
    private void awaitTopics(Consumer<?, ?> consumer, Collection<String> topics) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (String topic : topics) {
            boolean told = false;
            while (!exists(consumer, topic)) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("Topic {} still does not exist after {} s: subscribing anyway", topic, maxWait.toSeconds());
                    return;
                }
                if (!told) {
                    LOG.info("Waiting for topic {} to be created before subscribing", topic);
                    told = true;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the route is stopping
                    return;
                }
            }
        }
    }

    private static boolean exists(Consumer<?, ?> consumer, String topic) {
        try {
            return !consumer.partitionsFor(topic, METADATA_TIMEOUT).isEmpty();
        } catch (TimeoutException e) {
            return false; // no broker answered yet
        } catch (WakeupException e) {
            throw e; // the route is stopping: camel-kafka handles it
        } catch (KafkaException e) {
            LOG.debug("Cannot look topic {} up ({}): subscribing", topic, e.toString());
            return true;
        }
    }
}
