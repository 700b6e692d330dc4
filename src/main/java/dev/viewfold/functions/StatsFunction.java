package dev.viewfold.functions;

import dev.viewfold.check.CheckRun;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

/** {@code stats}: the vector table's counts for the model's space, and how many folds are pending repair. */
@RegisterForReflection(targets = CheckRun.Stats.class)
public class StatsFunction {

    @Inject
    CheckRun check;

    @Funq("stats")
    public CheckRun.Stats stats() {
        return check.stats();
    }
}
