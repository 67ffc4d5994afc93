package kafkascale.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reader's read-ahead: order kept, memory bounded by its depth, failures thrown where they happened. */
class ReadAheadTest {

    @Test
    void handsOutEveryElementInOrder() {
        List<Integer> out = new ArrayList<>();
        try (ReadAhead<Integer> ahead = new ReadAhead<>(List.of(1, 2, 3, 4, 5).iterator(), 2, "test")) {
            ahead.forEachRemaining(out::add);
            assertFalse(ahead.hasNext());
            assertThrows(NoSuchElementException.class, ahead::next);
        }
        assertEquals(List.of(1, 2, 3, 4, 5), out);
    }

    @Test
    void staysAtMostDepthAheadOfTheCaller() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return made.incrementAndGet();
            }
        };
        try (ReadAhead<Integer> ahead = new ReadAhead<>(endless, 2, "test")) {
            assertEquals(1, ahead.next());
            Thread.sleep(200);
            // one taken, two waiting, one made and blocked on the full queue
            assertTrue(made.get() <= 4, "made " + made.get());
        }
    }

    @Test
    void aFailureReachesTheCallerWhereTheElementWouldHaveBeen() {
        UncheckedIOException truncated = new UncheckedIOException(new java.io.EOFException("truncated gzip"));
        Iterator<Integer> breaking = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (++n == 3) {
                    throw truncated;
                }
                return n;
            }
        };
        try (ReadAhead<Integer> ahead = new ReadAhead<>(breaking, 4, "test")) {
            assertEquals(1, ahead.next());
            assertEquals(2, ahead.next());
            assertSame(truncated, assertThrows(UncheckedIOException.class, ahead::hasNext), "the same exception");
            assertSame(truncated, assertThrows(UncheckedIOException.class, ahead::next), "and again when asked again");
        }
    }
}
