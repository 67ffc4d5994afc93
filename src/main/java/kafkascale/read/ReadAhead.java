package kafkascale.read;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an iterator a few elements ahead on a thread of its own, so that making the next element (for
 * the reader: inflating, cutting and digesting the next batch of chunks) overlaps with what the caller
 * does with the current one (sending it and waiting for Kafka's acknowledgements). At most
 * {@code depth} elements wait, so memory stays bounded. A failure of the source iterator is thrown to
 * the caller, as the same exception, where the element it broke would have been; {@link #close()} stops
 * the thread.
 */
public final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    private static final Object END = new Object();

    private record Failure(RuntimeException runtime, Error error) {
        void rethrow() {
            if (error != null) {
                throw error;
            }
            throw runtime;
        }
    }

    private final BlockingQueue<Object> ready;
    private final Thread worker;
    private Object head;
    private boolean started;

    public ReadAhead(Iterator<T> source, int depth, String threadName) {
        this.ready = new ArrayBlockingQueue<>(Math.max(1, depth));
        this.worker = new Thread(() -> fill(source), threadName);
        this.worker.setDaemon(true);
    }

    private void fill(Iterator<T> source) {
        try {
            while (source.hasNext()) {
                ready.put(source.next());
            }
            ready.put(END);
        } catch (InterruptedException e) {
            // closed: nobody takes what is left
        } catch (RuntimeException e) {
            offerFailure(new Failure(e, null));
        } catch (Error e) {
            offerFailure(new Failure(null, e));
        }
    }

    private void offerFailure(Failure failure) {
        try {
            ready.put(failure);
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            if (!started) {
                started = true;
                worker.start();
            }
            try {
                head = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next element", e);
            }
        }
        if (head instanceof Failure failure) {
            failure.rethrow(); // stays at the head: asked again, the same failure
        }
        return head != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = (T) head;
        head = null;
        return element;
    }

    /** Stops the worker (it may be waiting to hand over an element nobody will take). */
    @Override
    public void close() {
        worker.interrupt();
    }
}
