package kafkascale.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The one place that turns camel-kafka's messages into {@link KafkaRecord}s and back, so the reader's
 * and compute's beans deal in records, not in Camel exchanges. A {@code List<Message>} body is what
 * camel-kafka's producer sends as one batch, each message with its own key and headers
 * (camel.component.kafka.batch-with-individual-headers).
 */
public final class CamelKafkaRecords {

    private final CamelContext context;

    public CamelKafkaRecords(CamelContext context) {
        this.context = context;
    }

    /** The records of a polled batch (camel-kafka batching mode: a list of exchanges). */
    public List<KafkaRecord> incoming(List<Exchange> polled) {
        List<KafkaRecord> records = new ArrayList<>(polled.size());
        for (Exchange exchange : polled) {
            Message m = exchange.getMessage();
            Map<String, String> headers = new LinkedHashMap<>();
            m.getHeaders().forEach((name, value) -> {
                if (name.startsWith("ks-")) {
                    headers.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : String.valueOf(value));
                }
            });
            Object key = m.getHeader(KafkaConstants.KEY);
            records.add(new KafkaRecord(m.getHeader(KafkaConstants.TOPIC, String.class),
                    m.getHeader(KafkaConstants.PARTITION, -1, Integer.class),
                    m.getHeader(KafkaConstants.OFFSET, -1L, Long.class),
                    m.getHeader(KafkaConstants.TIMESTAMP, -1L, Long.class),
                    key == null ? null : key.toString(), headers, m.getBody(byte[].class)));
        }
        return records;
    }

    /** Messages for one camel-kafka send: the records' keys, headers, bodies and (for dead letters) topics. */
    public List<Message> outgoing(List<KafkaRecord> records) {
        List<Message> messages = new ArrayList<>(records.size());
        for (KafkaRecord record : records) {
            Message m = new DefaultMessage(context);
            if (record.key() != null) {
                m.setHeader(KafkaConstants.KEY, record.key());
            }
            if (record.topic() != null) {
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, record.topic());
            }
            record.headers().forEach(m::setHeader);
            m.setBody(record.value());
            messages.add(m);
        }
        return messages;
    }
}
