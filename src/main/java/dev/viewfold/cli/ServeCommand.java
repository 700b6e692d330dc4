package dev.viewfold.cli;

import dev.viewfold.check.CheckRun;
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

    @Inject
    Instance<CheckRun> check;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    String port;

    /** What an earlier process left half derived is made whole while the server already answers. */
    private void repairInBackground() {
        Thread t = new Thread(() -> {
            try {
                CheckRun.Report r = check.get().run();
                LOG.infof("start-up check: %d folds and %d head rows made whole again in %.1f s", r.refolded(),
                        r.reprojected(), r.seconds());
            } catch (RuntimeException e) {
                LOG.errorf("start-up check failed (run the check command): %s", e);
            }
        }, "viewfold-start-check");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args.parse("serve", args, Set.of(), Set.of()).positional(0, "no arguments");
        loader.encoder();
        repairInBackground();
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
