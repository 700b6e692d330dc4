package dev.viewfold.labels;

import dev.viewfold.groups.Labelled;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The labelled, usable rows of a space as learning examples, in id order (the order training depends on). */
public final class LabelledRows {

    private LabelledRows() {
    }

    /** Labelled image rows: each photo an example. */
    public static List<Labelled> images(VectorTable table, String space) {
        return images(table, space, java.util.Set.of());
    }

    /** Labelled image rows but those of the observations left out. */
    public static List<Labelled> images(VectorTable table, String space, java.util.Set<String> leftOutObservations) {
        List<Labelled> out = new ArrayList<>();
        table.forEachImage(space, r -> {
            if (r.isOk() && !r.labels().isEmpty() && !leftOutObservations.contains(r.observationId())) {
                out.add(new Labelled(r.imageId(), r.vector(), r.labels()));
            }
        });
        out.sort(Comparator.comparing(Labelled::id));
        return out;
    }

    /** Labelled observation rows: each fold an example. */
    public static List<Labelled> observations(VectorTable table, String space) {
        List<ObservationRow> rows = new ArrayList<>();
        table.forEachObservationSince(space, Instant.EPOCH, r -> {
            if (r.status() == RowStatus.OK && r.vector() != null && !r.labels().isEmpty()) {
                rows.add(r);
            }
        });
        rows.sort(Comparator.comparing(ObservationRow::observationId));
        List<Labelled> out = new ArrayList<>(rows.size());
        for (ObservationRow r : rows) {
            out.add(new Labelled(r.observationId(), r.vector(), r.labels()));
        }
        return out;
    }
}
