package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.groups.GroupClassifiers;
import dev.viewfold.groups.HeadStore;
import dev.viewfold.groups.LabelEditor;
import dev.viewfold.groups.TrainRun;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Labels, heads and classifiers, configured from {@code viewfold.groups.*}; heads live in the uploads bucket. */
@ApplicationScoped
public class GroupsWiring {

    @Produces
    @Singleton
    HeadStore heads(ObjectStores stores, ObjectMapper json) {
        return new HeadStore(stores.uploads(), json);
    }

    @Produces
    @Singleton
    TrainRun trainRun(VectorTable table, HeadStore heads, ObjectMapper json, ViewfoldConfig config,
                      Aggregator aggregator) {
        return new TrainRun(table, heads, json, Clock.systemUTC(), AggregateWiring.foldAfter(config, aggregator),
                time -> Thread.sleep(time.toMillis()));
    }

    /**
     * How long a {@code train} command waits before catching up with ingest elsewhere. On AWS ingest
     * always runs in other processes (encode Lambdas, workers), which follow a new head within
     * {@code heads-refresh}; the embedded store is usually ingested by the same process, which
     * follows at once ({@code --catch-up} covers a separate {@code serve}).
     */
    public static java.time.Duration defaultCatchUp(ViewfoldConfig config) {
        return config.store() == ViewfoldConfig.StoreKind.AWS
                ? config.groups().headsRefresh().plusSeconds(5) : java.time.Duration.ZERO;
    }

    @Produces
    @Singleton
    GroupClassifiers classifiers(VectorTable table, ViewfoldConfig config) {
        ViewfoldConfig.Groups g = config.groups();
        return new GroupClassifiers(table, new GroupClassifiers.Settings(g.k(), g.heldOutFraction(), g.seed(),
                g.recheck()), Clock.systemUTC());
    }

    /** Edits fold in process when folding is in process; on AWS the table's stream refolds. */
    @Produces
    @Singleton
    LabelEditor labelEditor(VectorTable table, ViewfoldConfig config, Aggregator aggregator) {
        return new LabelEditor(table, Clock.systemUTC(), AggregateWiring.foldAfter(config, aggregator));
    }
}
