package dev.viewfold.ops;

import dev.viewfold.check.CheckRun;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import dev.viewfold.search.memory.MemoryBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code viewfold_*} metrics {@code /q/metrics} shows: images encoded by outcome, cluster runs
 * by outcome and their time, the table's counts and the folds pending repair (read at most every
 * {@value #STATS_EVERY_SECONDS} s: reading them scans the rows' stamps), and the rows each loaded
 * search index holds. Requests and their latency per route are Quarkus' HTTP metrics, named
 * {@code viewfold_http_server_requests_*} by {@link MetricNames}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its gauges are there from the first scrape
public class PrometheusTelemetry implements Telemetry {

    static final long STATS_EVERY_SECONDS = 30;

    @Inject
    MeterRegistry registry;

    @Inject
    Instance<CheckRun> check;

    @Inject
    Instance<SearchServices> search;

    private volatile CheckRun.Stats stats;
    private volatile long statsAt;

    @PostConstruct
    void gauges() {
        Gauge.builder("viewfold.table.images", this, t -> t.stats().images()).tag("status", "ok")
                .description("encoded image rows of the model's space").register(registry);
        Gauge.builder("viewfold.table.images", this, t -> t.stats().failed()).tag("status", "failed")
                .description("image rows that failed to encode").register(registry);
        Gauge.builder("viewfold.table.observations", this, t -> t.stats().observations())
                .description("observations with at least one encoded view").register(registry);
        Gauge.builder("viewfold.folds.pending", this, t -> t.stats().pendingFolds())
                .description("folds that do not reflect their rows yet (the check repairs them)").register(registry);
        for (Target target : Target.values()) {
            Gauge.builder("viewfold.index.rows", this, t -> t.indexRows(target))
                    .tag("target", target.wire()).description("rows in the model space's search index, once loaded")
                    .register(registry);
        }
    }

    /** The table's counts, at most {@value #STATS_EVERY_SECONDS} s old; NaN-free zeros when unreadable. */
    CheckRun.Stats stats() {
        long now = System.nanoTime();
        CheckRun.Stats s = stats;
        if (s == null || now - statsAt > TimeUnit.SECONDS.toNanos(STATS_EVERY_SECONDS)) {
            try {
                s = check.get().stats();
            } catch (RuntimeException e) {
                s = new CheckRun.Stats("", 0, 0, 0, 0);
            }
            stats = s;
            statsAt = now;
        }
        return s;
    }

    /** Rows of a loaded index; a scrape never loads one (that is the first search's work). */
    double indexRows(Target target) {
        try {
            SearchBackend backend = search.get().model().backend();
            if (backend instanceof MemoryBackend memory && !memory.loaded(target)) {
                return 0;
            }
            return backend.size(target);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void encoded(List<EncodeOutcome> outcomes) {
        for (EncodeOutcome o : outcomes) {
            Counter.builder("viewfold.images").tag("outcome", o.kind().name().toLowerCase(Locale.ROOT))
                    .description("images through encode, by outcome").register(registry).increment();
        }
    }

    @Override
    public void clusterRun(String outcome, double seconds) {
        Counter.builder("viewfold.cluster.runs").tag("outcome", outcome).description("cluster runs, by outcome")
                .register(registry).increment();
        Timer.builder("viewfold.cluster.run").tag("outcome", outcome).description("time of a cluster run")
                .register(registry).record(Duration.ofMillis((long) (seconds * 1000)));
    }
}
