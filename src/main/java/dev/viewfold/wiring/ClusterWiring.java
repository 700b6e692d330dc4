package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.ClusterSettings;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The cluster run, configured from {@code viewfold.cluster.*}, writing its maps to the uploads bucket. */
@ApplicationScoped
public class ClusterWiring {

    @Produces
    @Singleton
    ClusterRun clusterRun(ViewfoldConfig config, VectorTable table, ObjectStores stores, ObjectMapper json,
                          Spaces spaces) {
        ViewfoldConfig.Cluster c = config.cluster();
        ClusterSettings settings = new ClusterSettings(c.pcaComponents(), c.neighbours(), c.dimensions(),
                c.minClusterSize().orElse(0), c.minSamples().orElse(0), c.mapMinDist(), c.seed(),
                Math.max(1, Runtime.getRuntime().availableProcessors()), c.warmStart(), c.fitSample(),
                c.refitAfter());
        return new ClusterRun(table, stores.uploads(), json, settings, Clock.systemUTC(), spaces.model().id());
    }
}
