package kafkascale.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import kafkascale.results.AttemptFinished;
import kafkascale.results.AttemptStarted;
import kafkascale.results.ChunkResults;
import kafkascale.results.ResultsMessage;
import kafkascale.results.ResultsTopicRetention;
import kafkascale.results.RunFinished;
import kafkascale.results.RunStarted;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * For the target "results memory independent of record count": writes one complete run to a new
 * results topic (created as the app creates it: kept forever), for one month of RECORDS records in
 * chunks of CHUNK_LINES, written as compute and the reader write them (a chunk-results message per 200
 * chunks, the app's own message classes and JSON). Chunk {@code seq} has all its records under code
 * {@code seq % 13}, so the expected totals are known without reading anything. The bench then starts
 * a results role on the topic and weighs its live heap once it has replayed the run; the same for
 * ten times the records shows whether that heap grows with them.
 *
 * <p>Prints the expected totals per code as JSON ({@code {"2019": {"0": n, …}}}), in the shape of
 * scripts/oracle.py's output, so the bench can check the role's /results exactly.
 *
 * <p>usage: ResultsMemory BOOTSTRAP TOPIC RECORDS CHUNK_LINES
 */
public final class ResultsMemory {

    static final String MONTH = "2019-01";
    static final int CODES = 13;
    static final int CHUNKS_PER_MESSAGE = 200;

    private ResultsMemory() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long records = Long.parseLong(args[2]);
        int chunkLines = Integer.parseInt(args[3]);
        // as the app creates its results topic: kept forever
        PipelineClients.createTopics(bootstrap,
                List.of(new NewTopic(topic, 1, (short) 1).configs(ResultsTopicRetention.CREATE_CONFIGS)));

        String runId = "bench-results-memory-" + records;
        String attemptId = runId + "-attempt";
        String source = "synthetic-" + records;
        long now = System.currentTimeMillis();
        long[] expected = new long[CODES];
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(PipelineClients.producer(bootstrap))) {
            sent.add(send(producer, topic, new RunStarted(runId, List.of(source), now)));
            sent.add(send(producer, topic, new AttemptStarted(attemptId, runId, MONTH, source, chunkLines, now)));
            long chunks = (records + chunkLines - 1) / chunkLines;
            List<ChunkResults.Entry> entries = new ArrayList<>(CHUNKS_PER_MESSAGE);
            for (long seq = 0; seq < chunks; seq++) {
                long inChunk = Math.min(chunkLines, records - seq * chunkLines);
                int code = (int) (seq % CODES);
                expected[code] += inChunk;
                entries.add(new ChunkResults.Entry(seq, inChunk, Map.of(code, inChunk), Map.of(), now));
                if (entries.size() == CHUNKS_PER_MESSAGE || seq == chunks - 1) {
                    sent.add(send(producer, topic, new ChunkResults(attemptId, MONTH, chunkLines, entries)));
                    entries = new ArrayList<>(CHUNKS_PER_MESSAGE);
                }
            }
            sent.add(send(producer, topic, new AttemptFinished(attemptId, runId, MONTH, AttemptFinished.Status.OK, chunks,
                    records, "0".repeat(64), 0, source, null, now)));
            sent.add(send(producer, topic, new RunFinished(runId,
                    List.of(new RunFinished.SourceOutcome(source, RunFinished.SourceStatus.OK, MONTH, attemptId, null)),
                    now, now)));
            producer.flush();
            for (Future<RecordMetadata> ack : sent) {
                ack.get(); // a failed send fails the tool, and so the bench
            }
        }
        StringBuilder json = new StringBuilder("{\"2019\": {");
        for (int code = 0; code < CODES; code++) {
            json.append(code == 0 ? "" : ", ").append('"').append(code).append("\": ").append(expected[code]);
        }
        System.out.println(json.append("}}"));
    }

    /** In order (one partition, an idempotent producer); the caller waits for each acknowledgement. */
    private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, ResultsMessage message) {
        return producer.send(new ProducerRecord<>(topic, message.key().getBytes(StandardCharsets.UTF_8),
                ResultsMessage.toJson(message).getBytes(StandardCharsets.UTF_8)));
    }
}
