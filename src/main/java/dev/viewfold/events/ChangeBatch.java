package dev.viewfold.events;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowsChanged;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of image row changes (one delivery of the table's stream) as the folds it asks for: each
 * observation it touches once, in the order the batch first touches it, at the newest version any
 * of its changes carries; and the changes to apply over what is read back, the last one of each
 * image only (an image written and then removed in the same batch is removed); after a record
 * without a whole row, the image's rows are what the table holds.
 */
public final class ChangeBatch {

    private final Map<List<String>, Aggregator.Touched> touched = new LinkedHashMap<>();
    private final Map<List<String>, String> firstSequence = new LinkedHashMap<>();
    private final Map<List<String>, ImageRowChange> lastOfImage = new LinkedHashMap<>();

    /** Adds the batch's next change, in stream order. */
    public void add(ImageRowChange change) {
        for (String observation : change.observations()) {
            List<String> key = List.of(change.space(), observation);
            touched.merge(key, new Aggregator.Touched(change.space(), observation, null, change.version()),
                    (was, now) -> was.version() >= now.version() ? was : now);
            firstSequence.putIfAbsent(key, change.sequence());
        }
        List<String> image = List.of(change.space(), change.imageId());
        lastOfImage.remove(image); // re-inserted: the map keeps the order of each image's last change
        if (change.newRow() != null || change.oldRow() != null) {
            lastOfImage.put(image, change);
        } // else the record carried no whole row: an earlier change of the image is stale, the table decides
    }

    /** The observations to fold, each once. */
    public List<Aggregator.Touched> touched() {
        return List.copyOf(touched.values());
    }

    /** The changes the folds apply over the rows they read: each image's last. */
    public RowsChanged known() {
        List<ImageRow> written = new ArrayList<>();
        List<ImageRow> removed = new ArrayList<>();
        for (ImageRowChange c : lastOfImage.values()) {
            if (c.newRow() != null) {
                written.add(c.newRow());
            } else if (c.oldRow() != null) {
                removed.add(c.oldRow());
            }
        }
        return new RowsChanged(written, removed);
    }

    /**
     * The record a retry must start from when this observation's fold failed: the first that touched
     * it. Every record before it touched only observations folded before it.
     */
    public String retryFrom(Aggregator.Touched failed) {
        return firstSequence.get(List.of(failed.space(), failed.observationId()));
    }
}
