package dev.viewfold.cli;

import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.space.Spaces;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code serve}: the functions over HTTP on loopback, re-clustering on a timer when asked to. */
@Dependent
class ServeCommand implements Command {

    static final String SYNOPSIS = "serve";
    static final String DOES = "serve the functions over HTTP on localhost (POST /encode, /aggregate, /search,"
            + " /search/image, /duplicates, /cluster, /labels, /train, /classify; GET /stats, /map/)";
    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Inject
    ViewfoldConfig config;

    @Inject
    EncoderLoader loader;

    @Inject
    Instance<ClusterRun> clusterRun;

    @Inject
    Spaces spaces;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    String port;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args.parse("serve", args, Set.of(), Set.of()).positional(0, "no arguments");
        loader.encoder();
        out.printf("viewfold: serving on http://localhost:%s (POST /encode, /aggregate, /search, /search/image,"
                + " /duplicates, /cluster; GET /stats, /map/); Ctrl-C to stop%n", port);
        var timer = config.cluster().every().map(every -> {
            ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cluster-timer");
                t.setDaemon(true);
                return t;
            });
            // Fixed delay: a run that outlasts the period is never overlapped by the next.
            pool.scheduleWithFixedDelay(() -> {
                try {
                    clusterRun.get().run(spaces.model().id(),
                            ClusterRun.eachStage(stage -> LOG.debugf("scheduled cluster run: %s", stage)));
                } catch (Exception e) {
                    LOG.errorf("scheduled cluster run failed: %s", e);
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            out.printf("viewfold: re-clustering every %s (viewfold.cluster.every)%n", every);
            return pool;
        });
        Quarkus.waitForExit();
        timer.ifPresent(ExecutorService::shutdownNow);
        return 0;
    }
}
