package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkTallyTest {

    private static String record(int code) {
        return String.format("%-30s%2d%-20s", "002600310997690 12019", code, " 1 1");
    }

    @Test
    void countsCodesAndRejectionsOfAChunk() {
        String chunk = String.join("\n", record(1), record(1), record(5) + "\r", "short", record(12), "", record(1));
        ChunkTally tally = ChunkTally.count(chunk, RecordLayout.FIXED_WIDTH);
        assertEquals(Map.of(1, 3L, 5, 1L, 12, 1L), tally.codeCounts());
        assertEquals(Map.of("short-line", 1L), tally.rejectedCounts());
        assertEquals(5, tally.counted());
        assertEquals(6, tally.records(), "the empty line is no record");
    }

    @Test
    void anEmptyChunkCountsNothing() {
        ChunkTally tally = ChunkTally.count("", RecordLayout.FIXED_WIDTH);
        assertEquals(0, tally.records());
    }
}
