package dev.viewfold.functions;

import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;
import dev.viewfold.wiring.EncodeWiring.EmbeddingSpace;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** {@code stats}: the vector table's counts for the configured embedding space. */
public class StatsFunction {

    @Inject
    VectorTable table;

    @Inject
    EmbeddingSpace space;

    @Funq("stats")
    public TableStats stats() {
        return table.stats(space.id());
    }
}
