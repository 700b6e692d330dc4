package dev.viewfold.labels;

import dev.viewfold.errors.Refused;
import dev.viewfold.space.Space;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.Labels;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
                throw Refused.invalid("give labels to set, add or remove");
            }
        }

        /** From lists as a request gives them (null: none); a null or bad label is refused, naming it. */
        public Edit(java.util.List<String> set, java.util.List<String> add, java.util.List<String> remove) {
            this(set == null ? null : Labels.copyOf(set), Labels.copyOf(add), Labels.copyOf(remove));
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
     * Applies the edit to every image of the observation in each space (the first, the model's, is
     * the one the observation must exist in; the others are the heads' spaces derived from it).
     *
     * @throws Refused (not found) when the first space holds no image of that observation
     */
    public Result apply(List<Space> inSpaces, String observationId, Edit edit) {
        List<String> spaces = inSpaces.stream().map(Space::id).toList();
        List<ImageRow> primary = table.imagesOfObservation(spaces.get(0), observationId);
        if (primary.isEmpty()) {
            throw Refused.notFound("no observation with id '" + Refused.echo(observationId) + "' in space "
                    + spaces.get(0));
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
