package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compute's byte classifier ({@link ChunkTally#count(byte[], RecordLayout)}, {@link
 * RecordLayout#classify(byte[], int, int)}) against the String one it replaced on the hot path
 * ({@link ChunkTally#count(String, RecordLayout)}, {@link RecordLayout#classify(String)}): the same code
 * or rejection reason for every record, and the same counts for every chunk, over random records (codes
 * of every shape at columns 30-31: digits, blanks, signs, letters, odd bytes, CR ends, short lines),
 * CSV rows, and the real CPS records of census-sample/ as the chunker cuts them.
 */
class ChunkTallyDifferentialTest {

    private static final byte[] CODE_BYTES = " 0123456789+-x\t\r\u00a0\u00b2".getBytes(StandardCharsets.ISO_8859_1);
    private static final RecordLayout CSV = RecordLayout.fromCsvHeader("HRHHID,HRMONTH,HRYEAR4,HEHOUSUT").orElseThrow();

    @Test
    void randomRecordsClassifyAlike() {
        Random random = new Random(20261204L);
        for (int round = 0; round < 200_000; round++) {
            byte[] record = randomRecord(random);
            for (RecordLayout layout : new RecordLayout[] {RecordLayout.FIXED_WIDTH, CSV}) {
                assertEquals(layout.classify(new String(record, StandardCharsets.ISO_8859_1)),
                        layout.classify(record, 0, record.length), () -> layout + " record " + Arrays.toString(record));
            }
        }
    }

    @Test
    void randomChunksCountAlike() {
        Random random = new Random(424242L);
        for (int round = 0; round < 5_000; round++) {
            int records = random.nextInt(12);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < records; i++) {
                if (i > 0 || random.nextInt(10) == 0) {
                    text.append(random.nextInt(8) == 0 ? "\r\n" : "\n");
                }
                if (random.nextInt(12) != 0) { // some empty lines
                    text.append(new String(randomRecord(random), StandardCharsets.ISO_8859_1));
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            for (RecordLayout layout : new RecordLayout[] {RecordLayout.FIXED_WIDTH, CSV}) {
                assertTally(ChunkTally.count(text.toString(), layout), ChunkTally.count(bytes, layout), "round " + round);
            }
        }
    }

    @Test
    void realRecordsCountAlike() throws IOException {
        for (Path file : Files.newDirectoryStream(Path.of("src/test/resources/census-sample"))) {
            for (int chunkLines : new int[] {1, 3, 10}) {
                Chunker chunker = new Chunker(new ByteArrayInputStream(Files.readAllBytes(file)), chunkLines,
                        file.getFileName().toString(), OptionalInt.empty());
                long counted = 0;
                while (chunker.hasNext()) {
                    Chunk chunk = chunker.next();
                    ChunkTally bytes = ChunkTally.count(chunk.bytes(), chunk.layout());
                    assertTally(ChunkTally.count(chunk.text(), chunk.layout()), bytes, file + " chunk " + chunk.seq());
                    counted += bytes.counted();
                }
                assertEquals(chunker.records(), counted, file + ": every real record has a known code");
            }
        }
    }

    private static void assertTally(ChunkTally expected, ChunkTally actual, String what) {
        for (int code = 0; code < HousingCodes.COUNT; code++) {
            assertEquals(expected.code(code), actual.code(code), what + ", code " + code);
        }
        for (RejectReason reason : RejectReason.values()) {
            assertEquals(expected.rejected(reason), actual.rejected(reason), what + ", " + reason);
        }
    }

    /** A record of 0-40 characters, mostly long enough to reach columns 30-31, with a code of any shape there. */
    private static byte[] randomRecord(Random random) {
        int length = random.nextInt(6) == 0 ? random.nextInt(40) : 30 + random.nextInt(4);
        byte[] record = new byte[length];
        for (int i = 0; i < length; i++) {
            record[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) ('0' + random.nextInt(10));
            if (random.nextInt(15) == 0) {
                record[i] = ',';
            }
        }
        for (int i = 30; i < Math.min(32, length); i++) {
            record[i] = random.nextInt(5) == 0 ? (byte) random.nextInt(256) : CODE_BYTES[random.nextInt(CODE_BYTES.length)];
        }
        if (length > 0 && random.nextInt(8) == 0) {
            record[length - 1] = '\r';
        }
        return record;
    }
}
