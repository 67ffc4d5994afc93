package kafkascale.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import kafkascale.results.PipelineMessages.ChunkResult;
import kafkascale.results.PipelineMessages.RunSummary;
import kafkascale.results.PipelineMessages.SourceStatus;
import kafkascale.results.PipelineMessages.SourceSummary;
import kafkascale.results.ResultsAggregate.Outcome;
import org.junit.jupiter.api.Test;

class ResultsAggregateTest {

    private static ChunkResult chunk(String source, long seq, int chunkLines, Map<Integer, Long> counts) {
        long records = counts.values().stream().mapToLong(Long::longValue).sum();
        return new ChunkResult(source, seq, chunkLines, 2019, records, counts, Map.of(), 0);
    }

    private static SourceSummary summary(String source, SourceStatus status, long chunks, long records, long at) {
        return new SourceSummary(source, 2019, 10, status, chunks, records, 0, "loc", null, at);
    }

    private static long count(ResultsAggregate aggregate, String year, int code) {
        return aggregate.results().get(year).get(Integer.toString(code)).count();
    }

    @Test
    void countsEachChunkOnceWhateverArrivesTwice() {
        ResultsAggregate aggregate = new ResultsAggregate();
        assertEquals(Outcome.COUNTED, aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 9L, 5, 1L))));
        assertEquals(Outcome.DUPLICATE, aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 9L, 5, 1L))));
        assertEquals(Outcome.COUNTED, aggregate.apply(chunk("jan19pub", 1, 10, Map.of(1, 10L))));
        assertEquals(Outcome.OTHER_CHUNKING, aggregate.apply(chunk("jan19pub", 0, 20, Map.of(1, 19L, 5, 1L))));
        assertEquals(19, count(aggregate, "2019", 1));
        assertEquals(1, count(aggregate, "2019", 5));
        assertEquals(0, count(aggregate, "2019", 12));
        assertEquals(13, aggregate.results().get("2019").size(), "every code is listed");
        assertEquals("HOUSE, APARTMENT, FLAT", aggregate.results().get("2019").get("1").description());
        assertNull(aggregate.results("2020"));
    }

    @Test
    void completeOnlyWhenTheLatestRunIsFullyCounted() {
        ResultsAggregate aggregate = new ResultsAggregate();
        assertFalse(aggregate.progress().complete());
        aggregate.apply(summary("jan19pub", SourceStatus.OK, 2, 20, 1));
        aggregate.apply(summary("feb19pub", SourceStatus.MISSING, 0, 0, 1));
        aggregate.apply(new RunSummary("r1", List.of("jan19pub", "feb19pub"), 0, 2));
        assertFalse(aggregate.progress().complete(), "no chunk counted yet");
        aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 10L)));
        assertFalse(aggregate.progress().complete());
        aggregate.apply(chunk("jan19pub", 1, 10, Map.of(1, 10L)));
        assertTrue(aggregate.progress().complete());
        assertEquals("counted", aggregate.progress().sources().get("jan19pub").status());
        assertEquals("missing", aggregate.progress().sources().get("feb19pub").status());
    }

    @Test
    void aSourceThatBrokeOffIsLeftOutOfResults() {
        ResultsAggregate aggregate = new ResultsAggregate();
        aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 10L)));
        aggregate.apply(chunk("feb19pub", 0, 10, Map.of(1, 10L)));
        assertEquals(20, count(aggregate, "2019", 1));
        aggregate.apply(summary("feb19pub", SourceStatus.FAILED, 1, 10, 5));
        assertEquals(10, count(aggregate, "2019", 1));
        // a later successful re-read brings it back
        aggregate.apply(summary("feb19pub", SourceStatus.OK, 1, 10, 9));
        assertEquals(20, count(aggregate, "2019", 1));
        // an older summary arriving late does not win
        aggregate.apply(summary("feb19pub", SourceStatus.FAILED, 1, 10, 7));
        assertEquals(20, count(aggregate, "2019", 1));
    }

    @Test
    void messagesRoundTripThroughJsonAndNonsenseIsRefused() {
        ChunkResult chunk = new ChunkResult("jan19pub", 3, 10, 2019, 10, Map.of(1, 9L, 6, 1L), Map.of("short-line", 1L), 7);
        assertEquals(chunk, PipelineMessages.parse(PipelineMessages.toJson(chunk)));
        assertEquals("chunk/jan19pub/10/3", chunk.key());
        RunSummary run = new RunSummary("r", List.of("a"), 1, 2);
        assertEquals(run, PipelineMessages.parse(PipelineMessages.toJson(run)));
        assertThrows(IllegalArgumentException.class, () -> PipelineMessages.parse("{\"type\":\"nope\"}"));
        assertThrows(IllegalArgumentException.class, () -> PipelineMessages.parse("not json"));
    }

    @Test
    void aChunkWithACodeOutsideTheTableIsRefusedWithoutCountingAnything() {
        ResultsAggregate aggregate = new ResultsAggregate();
        assertThrows(IllegalArgumentException.class, () -> aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 5L, 13, 1L))));
        assertThrows(IllegalArgumentException.class, () -> aggregate.apply(chunk(null, 0, 10, Map.of(1, 5L))));
        assertThrows(IllegalArgumentException.class, () -> aggregate.apply(summary(null, SourceStatus.OK, 1, 1, 1)));
        assertEquals(Outcome.COUNTED, aggregate.apply(chunk("jan19pub", 0, 10, Map.of(1, 5L))));
        assertEquals(5, count(aggregate, "2019", 1));
    }
}
