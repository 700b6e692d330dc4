package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.check.IndexRepair;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.s3vectors.PendingIndexWrites;
import dev.viewfold.search.s3vectors.VectorIndexRepair;
import dev.viewfold.search.s3vectors.VectorIndexWriter;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.inject.Instance;

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
    CheckRun check(VectorTable table, Spaces spaces, HeadStore heads, Aggregator aggregator, ViewfoldConfig config,
                   Instance<VectorIndexWriter> index, ObjectMapper json, ObjectStores stores) {
        IndexRepair repair = IndexRepair.NONE;
        if (config.search().backend() == ViewfoldConfig.SearchBackendKind.S3VECTORS) {
            var r = new VectorIndexRepair(table, index.get(), new PendingIndexWrites(stores.uploads(), json));
            repair = new IndexRepair() {
                @Override
                public int pending() {
                    return r.pending();
                }

                @Override
                public int full(String space) {
                    return r.full(space);
                }
            };
        }
        return new CheckRun(table, spaces, heads, aggregator, Clock.systemUTC(), repair);
    }
}
