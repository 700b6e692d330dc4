package dev.viewfold.groups;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.Labels;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Sets an observation's labels after the fact. Labels live on the image rows (where the manifest and
 * object metadata put them) and the fold unions them into the observation row, so an edit rewrites
 * the observation's image rows in every given space and lets the usual trigger refold it: one source
 * of truth, and a later fold never brings back a removed label.
 */
public final class LabelEditor {

    /**
     * An edit: {@code set} replaces every label (null: keep them), then {@code add} and {@code remove} apply.
     */
    public record Edit(Set<String> set, Set<String> add, Set<String> remove) {
        public Edit {
            set = set == null ? null : Labels.copyOf(set);
            add = Labels.copyOf(add);
            remove = Labels.copyOf(remove);
            if (set == null && add.isEmpty() && remove.isEmpty()) {
                throw new IllegalArgumentException("give labels to set, add or remove");
            }
        }

        Set<String> apply(Set<String> labels) {
            TreeSet<String> out = new TreeSet<>(set == null ? labels : set);
            out.addAll(add);
            out.removeAll(remove);
            return out;
        }
    }

    /** The observation's labels after the edit, and how many image rows changed in how many spaces. */
    public record Result(String observationId, Set<String> labels, int imagesUpdated, List<String> spaces) {
    }

    private final VectorTable table;
    private final Clock clock;
    private final Consumer<RowsChanged> rowsChanged;

    public LabelEditor(VectorTable table, Clock clock, Consumer<RowsChanged> rowsChanged) {
        this.table = table;
        this.clock = clock;
        this.rowsChanged = rowsChanged;
    }

    /**
     * Applies the edit to every image of the observation in each space (the first is the one the
     * observation must exist in; the others are spaces derived from it).
     *
     * @throws NoSuchElementException when the first space holds no image of that observation
     */
    public Result apply(List<String> spaces, String observationId, Edit edit) {
        List<ImageRow> primary = table.imagesOfObservation(spaces.get(0), observationId);
        if (primary.isEmpty()) {
            throw new NoSuchElementException("no observation with id '" + observationId + "' in space " + spaces.get(0));
        }
        TreeSet<String> union = new TreeSet<>();
        int updated = 0;
        var now = clock.instant();
        for (String space : spaces) {
            List<ImageRow> rows = space.equals(spaces.get(0)) ? primary : table.imagesOfObservation(space, observationId);
            List<ImageRow> changed = new ArrayList<>();
            for (ImageRow r : rows) {
                Set<String> labels = edit.apply(r.labels());
                if (space.equals(spaces.get(0))) {
                    union.addAll(labels);
                }
                if (!labels.equals(r.labels())) {
                    changed.add(r.withLabels(labels).touched(now));
                }
            }
            if (!changed.isEmpty()) {
                List<ImageRow> written = table.putImages(changed);
                updated += space.equals(spaces.get(0)) ? written.size() : 0;
                rowsChanged.accept(new RowsChanged(written, List.of()));
            }
        }
        return new Result(observationId, Labels.copyOf(union), updated, List.copyOf(spaces));
    }
}
