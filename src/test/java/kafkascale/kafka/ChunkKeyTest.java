package kafkascale.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The chunk key is the chunk's identity on the compute topic: written by the reader, read by compute. */
class ChunkKeyTest {

    @Test
    void roundTrips() {
        ChunkKey key = new ChunkKey("2019-01", "8f14e45f-ceea-367a-9a36-dedd4bea2543", 7499);
        assertEquals("chunk/2019-01/8f14e45f-ceea-367a-9a36-dedd4bea2543/7499", key.toString());
        assertEquals(key, ChunkKey.parse(key.toString()));
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        for (String bad : new String[] {null, "", "chunk/", "chunk/2019-01/a", "chunk/2019-01/a/", "chunk/2019-01/a/x",
                "chunk/2019-01/a/-1", "chunk//a/1", "chunk/2019-01//1", "chunk/2019-01/a/1/2", "month/2019-01",
                "chunk/jan19pub/10/3/extra"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkKey.parse(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("chunk key"), e.getMessage());
        }
    }
}
