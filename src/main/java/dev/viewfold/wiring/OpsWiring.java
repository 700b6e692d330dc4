package dev.viewfold.wiring;

import dev.viewfold.ops.Telemetry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Counting nothing, unless the metrics are built in ({@code ops.PrometheusTelemetry} then wins). */
@ApplicationScoped
public class OpsWiring {

    @Produces
    @Singleton
    @DefaultBean
    Telemetry telemetry() {
        return Telemetry.NONE;
    }
}
