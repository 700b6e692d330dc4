package dev.viewfold.wiring;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.check.CheckRun;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The repair pass over every space of the deployment. */
@ApplicationScoped
public class CheckWiring {

    @Produces
    @Singleton
    CheckRun check(VectorTable table, Spaces spaces, HeadStore heads, Aggregator aggregator) {
        return new CheckRun(table, spaces, heads, aggregator, Clock.systemUTC());
    }
}
