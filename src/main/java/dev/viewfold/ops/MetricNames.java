package dev.viewfold.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.inject.Singleton;

/** Quarkus' HTTP server metrics under Viewfold's prefix: {@code viewfold_http_server_requests_seconds{uri,method,status}}. */
@Singleton
public class MetricNames implements MeterFilter {

    @Override
    public Meter.Id map(Meter.Id id) {
        return id.getName().startsWith("http.server.") ? id.withName("viewfold." + id.getName()) : id;
    }
}
