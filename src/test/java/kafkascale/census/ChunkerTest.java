package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<Chunk> all(Chunker chunker) {
        List<Chunk> chunks = new ArrayList<>();
        chunker.forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void realCensusRecordsFromJanuary2008() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/census-sample/jan08pub.dat")) {
            Chunker chunker = new Chunker(in, 4, "jan08pub.dat", OptionalInt.empty());
            List<Chunk> chunks = all(chunker);
            assertEquals(List.of(4, 4, 2), chunks.stream().map(Chunk::records).toList());
            assertEquals(2008, chunker.year(), "year from HRYEAR4");
            assertEquals(RecordLayout.FIXED_WIDTH, chunker.layout());
            long ones = 0;
            long records = 0;
            for (Chunk chunk : chunks) {
                ChunkTally tally = ChunkTally.count(chunk.text(), chunk.layout());
                ones += tally.code(1);
                records += tally.records();
            }
            assertEquals(10, records);
            assertEquals(10, ones, "HEHOUSUT is ' 1' on every one of the ten real records");
            assertTrue(chunker.exhausted());
        }
    }

    @Test
    void cutsEveryNRecordsAndNumbersChunks() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            s.append(String.format("%-40s", "r" + i)).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        Chunker chunker = new Chunker(text(s.toString()), 10, "mar19pub.dat", OptionalInt.of(2019));
        List<Chunk> chunks = all(chunker);
        assertEquals(List.of(0L, 1L, 2L), chunks.stream().map(Chunk::seq).toList());
        assertEquals(List.of(10, 10, 5), chunks.stream().map(Chunk::records).toList());
        assertFalse(chunks.get(0).text().contains("\r"), "CR line ends are dropped with the line end");
        assertEquals(25, chunker.records());
        assertEquals(3, chunker.chunks());
    }

    @Test
    void skipsEmptyLinesAndHandlesAnEmptyFile() {
        Chunker chunker = new Chunker(text("\n\n"), 10, "x.dat", OptionalInt.empty());
        assertFalse(chunker.hasNext());
        assertEquals(0, chunker.records());
    }

    @Test
    void csvHeaderSetsTheLayoutAndIsNotARecord() {
        Chunker chunker = new Chunker(text("HRHHID,HRYEAR4,hehousut\n1,2024,1\n2,2024,5\n"), 10, "jan24pub.csv",
                OptionalInt.empty());
        List<Chunk> chunks = all(chunker);
        assertEquals(1, chunks.size());
        assertEquals(2, chunks.get(0).records());
        assertEquals(2024, chunks.get(0).year());
        ChunkTally tally = ChunkTally.count(chunks.get(0).text(), RecordLayout.parse(chunks.get(0).layout().describe()));
        assertEquals(1, tally.code(1));
        assertEquals(1, tally.code(5));
    }

    @Test
    void yearFallsBackToTheFileNameAndFailsClearlyWithoutOne() {
        assertEquals(OptionalInt.of(2019), Chunker.yearFromName("jan19pub.dat.gz"));
        assertEquals(OptionalInt.of(1998), Chunker.yearFromName("dec98pub.zip"));
        Chunker named = new Chunker(text(String.format("%-40s%n", "no year here")), 10, "feb21pub.dat", OptionalInt.empty());
        assertEquals(2021, named.next().year());
        Chunker anonymous = new Chunker(text(String.format("%-40s%n", "no year here")), 10, "data.txt", OptionalInt.empty());
        IllegalStateException e = assertThrows(IllegalStateException.class, anonymous::hasNext);
        assertTrue(e.getMessage().contains("data.txt"));
    }

    @Test
    void overlongLinesAreSkippedAndCountedWithoutHoldingThem() {
        String good = String.format("%-40s", "002600310997690 12019");
        String text = good + "\n" + "x".repeat(200_000) + "\r\n" + good + "\r" + good;
        Chunker chunker = new Chunker(text(text), 10, "jan19pub.dat", OptionalInt.empty(), 1_000);
        List<Chunk> chunks = all(chunker);
        assertEquals(1, chunks.size());
        assertEquals(3, chunks.get(0).records());
        assertEquals(1, chunker.overlongLines());
        assertEquals(good + "\n" + good + "\n" + good, chunks.get(0).text());
    }

    @Test
    void nonAsciiBytesKeepTheirColumns() {
        byte[] line = String.format("%-30s%2d%-10s\n", "002600310997690 12019", 6, "").getBytes(StandardCharsets.ISO_8859_1);
        line[5] = (byte) 0xE9;
        line[40] = (byte) 0xFF;
        Chunker chunker = new Chunker(new ByteArrayInputStream(line), 10, "feb19pub.dat", OptionalInt.of(2019));
        Chunk chunk = chunker.next();
        assertEquals(1, ChunkTally.count(chunk.text(), chunk.layout()).code(6), "HEHOUSUT still at columns 30-31");
    }
}
