package dev.viewfold.testing;

import dev.viewfold.store.ForwardingVectorTable;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A vector table that fails one write on purpose, as a crash or a full disk would: the k-th write
 * throws, either before it reaches the table (nothing written) or after (written, and the writer
 * never learns it). Reads pass through. Counting writes with no fault gives the k's to try.
 */
public final class FaultyTable extends ForwardingVectorTable {

    /** What the injected failure looks like to the writer. */
    public static final class InjectedFault extends IllegalStateException {
        public InjectedFault(String message) {
            super(message);
        }
    }

    public enum When { BEFORE, AFTER }

    private final int failAt;
    private final When when;
    private final Predicate<String> counted;
    private int writes;

    /** No fault: only counts the writes. */
    public FaultyTable(VectorTable table) {
        this(table, -1, When.BEFORE, op -> true);
    }

    /** @param failAt the write (1-based) that fails; {@code counted} says which operations count */
    public FaultyTable(VectorTable table, int failAt, When when, Predicate<String> counted) {
        super(table);
        this.failAt = failAt;
        this.when = when;
        this.counted = counted;
    }

    public synchronized int writes() {
        return writes;
    }

    private interface Write<T> {
        T run();
    }

    private synchronized <T> T write(String op, Write<T> w) {
        if (!counted.test(op)) {
            return w.run();
        }
        int n = ++writes;
        if (n == failAt && when == When.BEFORE) {
            throw new InjectedFault("injected fault before write " + n + " (" + op + ")");
        }
        T result = w.run();
        if (n == failAt) {
            throw new InjectedFault("injected fault after write " + n + " (" + op + ")");
        }
        return result;
    }

    @Override
    public List<ImageRow> putImages(List<ImageRow> rows) {
        return write("putImages", () -> table.putImages(rows));
    }

    @Override
    public void putObservation(ObservationRow row) {
        write("putObservation", () -> {
            table.putObservation(row);
            return null;
        });
    }

    @Override
    public boolean putFold(ObservationRow fold) {
        return write("putFold", () -> table.putFold(fold));
    }

    @Override
    public int putPlacements(String space, Map<String, ObservationRow.Placement> placements, Instant now) {
        return write("putPlacements", () -> table.putPlacements(space, placements, now));
    }

    @Override
    public void deleteImage(String space, String imageId) {
        write("deleteImage", () -> {
            table.deleteImage(space, imageId);
            return null;
        });
    }

    @Override
    public boolean deleteImageIfUnchanged(String space, String imageId, Instant updatedAt) {
        return write("deleteImageIfUnchanged", () -> table.deleteImageIfUnchanged(space, imageId, updatedAt));
    }
}
