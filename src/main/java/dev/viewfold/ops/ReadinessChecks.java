package dev.viewfold.ops;

import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * What {@code /q/health} answers beyond "the process is up": the store answers a read, the model
 * is loaded, and the model space's search indexes are loaded (a first check loads them, so a
 * server is warm once it reports ready).
 */
@ApplicationScoped
public class ReadinessChecks {

    @Inject
    Instance<VectorTable> table;

    @Inject
    Instance<Spaces> spaces;

    @Inject
    Instance<OnnxEmbeddingModel> model;

    @Inject
    Instance<SearchServices> search;

    @Produces
    @Readiness
    HealthCheck store() {
        return () -> check("store", b -> {
            table.get().findImage(spaces.get().model().id(), "viewfold-health-probe");
            b.withData("space", spaces.get().model().id());
        });
    }

    @Produces
    @Readiness
    HealthCheck model() {
        return () -> check("model", b -> {
            OnnxEmbeddingModel m = model.get();
            b.withData("file", m.spec().path().toString()).withData("dimension", m.dimension());
        });
    }

    @Produces
    @Readiness
    HealthCheck index() {
        return () -> check("search index", b -> {
            SearchBackend backend = search.get().model().backend();
            b.withData("images", backend.size(Target.IMAGES)).withData("observations", backend.size(Target.OBSERVATIONS));
        });
    }

    private interface Probe {
        void run(org.eclipse.microprofile.health.HealthCheckResponseBuilder b);
    }

    private static HealthCheckResponse check(String name, Probe probe) {
        var b = HealthCheckResponse.named(name);
        try {
            probe.run(b);
            return b.up().build();
        } catch (RuntimeException e) {
            return b.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
