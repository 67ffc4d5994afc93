package kafkascale.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import kafkascale.PipelineMetrics;
import kafkascale.census.SourcePlan;
import kafkascale.kafka.KafkaRecord;
import kafkascale.results.AttemptFinished;
import org.junit.jupiter.api.Test;

/**
 * The reader's pipeline (cut, digest and hand out on separate threads, or all on the caller's) hands out
 * every record once, in order, and ends the attempt with the SHA-256 of the records: for a plain LF file,
 * exactly {@code sha256sum} of the file, with and without read-ahead and for any batch size.
 */
class CensusReaderDigestTest {

    @Test
    void theAttemptDigestIsTheFilesSha256WhateverThePipeline() throws Exception {
        Path file = Path.of("src/test/resources/census-sample/jan08pub.dat");
        byte[] bytes = Files.readAllBytes(file);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        long lines = bytes.length == 0 ? 0 : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n").length;
        for (int ahead : new int[] {0, 1, 2}) {
            for (int batchChunks : new int[] {1, 2, 200}) {
                for (int chunkLines : new int[] {1, 3, 10}) {
                    CensusReader reader = new CensusReader(SourcePlan.plan("", "*", "", file.toString()),
                            new CensusReader.Limits(chunkLines, batchChunks, ahead, 65536, Long.MAX_VALUE),
                            new PipelineMetrics(SimpleMeterRegistry::new), false);
                    reader.startRun();
                    SourceRead read = reader.sources().get(0);
                    reader.openLocal(read);
                    reader.startAttempt(read);
                    StringBuilder handed = new StringBuilder();
                    long chunks = 0;
                    for (Iterator<List<KafkaRecord>> batches = reader.chunkBatches(read); batches.hasNext(); ) {
                        for (KafkaRecord chunk : batches.next()) {
                            handed.append(new String(chunk.value(), java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
                            chunks++;
                        }
                    }
                    reader.sourceRead(read);
                    AttemptFinished finished = reader.finishSource(read);
                    String what = "ahead " + ahead + ", batches of " + batchChunks + ", chunks of " + chunkLines;
                    assertEquals(expected, finished.digest(), what);
                    assertEquals(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), handed.toString(), what);
                    assertEquals(lines, finished.records(), what);
                    assertEquals(chunks, finished.chunks(), what);
                }
            }
        }
    }
}
