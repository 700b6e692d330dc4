package dev.viewfold.functions;

import dev.viewfold.space.Spaces;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** {@code stats}: the vector table's counts for the model's space. */
public class StatsFunction {

    @Inject
    VectorTable table;

    @Inject
    Spaces spaces;

    @Funq("stats")
    public TableStats stats() {
        return table.stats(spaces.model().id());
    }
}
