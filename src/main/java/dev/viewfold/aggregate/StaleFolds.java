package dev.viewfold.aggregate;

import dev.viewfold.store.RowStamps;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the observations whose stored fold no longer reflects their image rows: rows written
 * (or relabelled) after the fold read them, rows gone that the fold still lists, usable rows it does
 * not list, labels it does not carry, or no fold at all. This is what a crash or a full disk between writing image rows and
 * folding leaves behind, and a stream record that ended in a dead-letter queue on AWS: refolding
 * each of them repairs it (folds are idempotent and version-checked, so one being made right now is
 * harmless to refold too).
 */
public final class StaleFolds {

    private StaleFolds() {
    }

    /** The stale observations of a space, in id order. */
    public static List<String> of(VectorTable table, String space) {
        Map<String, Long> newest = new HashMap<>();
        Map<String, Set<String>> okViews = new HashMap<>();
        Map<String, Set<String>> labels = new HashMap<>();
        table.forEachImageStamp(space, r -> {
            newest.merge(r.observationId(), r.updatedAt().toEpochMilli(), Math::max);
            Set<String> ok = okViews.computeIfAbsent(r.observationId(), o -> new HashSet<>());
            if (r.status() == RowStatus.OK) {
                ok.add(r.imageId());
            }
            labels.computeIfAbsent(r.observationId(), o -> new HashSet<>()).addAll(r.labels());
        });
        Set<String> stale = new TreeSet<>();
        Set<String> folded = new HashSet<>();
        table.forEachFoldStamp(space, f -> {
            folded.add(f.observationId());
            Long rowsWritten = newest.get(f.observationId());
            if (rowsWritten == null) {
                if (!f.viewIds().isEmpty()) {
                    stale.add(f.observationId()); // every row gone, yet the fold still lists views
                }
            } else if (rowsWritten > f.inputVersion() || !f.viewIds().equals(okViews.get(f.observationId()))
                    || !f.labels().equals(labels.get(f.observationId()))) {
                stale.add(f.observationId());
            }
        });
        for (String observation : newest.keySet()) {
            if (!folded.contains(observation)) {
                stale.add(observation); // rows written, never folded
            }
        }
        return new ArrayList<>(stale);
    }
}
