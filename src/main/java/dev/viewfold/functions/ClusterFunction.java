package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viewfold.check.CheckRun;
import dev.viewfold.cluster.ClusterChanges;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.ClusterSettings;
import dev.viewfold.cluster.RunSummary;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.jobs.JobProgress;
import dev.viewfold.ops.Telemetry;
import dev.viewfold.errors.Refused;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code cluster}: re-clusters every observation of the model's space and writes the map. The
 * input may name another {@code space} (a trained head's); anything else in it (an EventBridge
 * Scheduler payload) is ignored. One run at a time per instance: a second request while one runs gets 409.
 */
@ApplicationScoped
@RegisterForReflection(targets = {RunSummary.class, ClusterChanges.class, ClusterChanges.Split.class,
        ClusterChanges.Merge.class, ClusterSettings.class})
public class ClusterFunction {

    private static final Logger LOG = Logger.getLogger(ClusterFunction.class);

    @Inject
    ClusterRun clusterRun;

    @Inject
    Spaces spaces;

    @Inject
    CheckRun check;

    @Inject
    Telemetry telemetry;

    /** The schedule runs the repair pass too: folds a lost stream record left stale are made whole first. */
    private void repairFirst() {
        try {
            CheckRun.Report r = check.run();
            if (r.refolded() > 0 || r.reprojected() > 0) {
                LOG.infof("check before clustering: %d folds and %d head rows made whole again", r.refolded(),
                        r.reprojected());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "check before clustering failed; clustering what the table holds");
        }
    }

    /** A schedule's payload, {@code {}} or nothing all start one run of the model's space. */
    @Funq("cluster")
    public RunSummary cluster(JsonNode input) {
        return cluster(input, JobProgress.none());
    }

    /** As a job: the run's stages are the job's, and a cancelled job stops at the next step. */
    public RunSummary cluster(JsonNode input, JobProgress progress) {
        JsonNode asked = input == null ? null : input.get("space");
        if (asked != null && !asked.isNull() && !asked.isTextual()) {
            throw Refused.invalid("field 'space' must be a string naming a space, not " + Refused.echo(asked));
        }
        Space space = spaces.require(asked != null && asked.isTextual() ? asked.asText() : null);
        progress.stage("check");
        repairFirst();
        Umap.Progress logged = ClusterRun.eachStage(stage -> LOG.infof("cluster run: %s", stage));
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            RunSummary s = clusterRun.run(space.id(), (stage, fraction) -> {
                logged.report(stage, fraction);
                if (!stage.equals(progress.stage())) {
                    progress.stage(stage);
                }
                progress.fraction(fraction);
                progress.check();
            });
            LOG.infof("cluster run %s: %d observations, %d clusters, %.1f%% noise, %s, %.1f s; map %s",
                    s.run(), s.observations(), s.clusters(), 100 * s.noiseFraction(), s.keptFraction() == null
                            ? "first run" : String.format(java.util.Locale.ROOT, "%.1f%% of ids kept", 100 * s.keptFraction()),
                    s.seconds(), s.map());
            s.warnings().forEach(w -> LOG.warnf("cluster run %s: %s", s.run(), w));
            outcome = "ok";
            return s;
        } catch (JobProgress.Cancelled e) {
            outcome = "cancelled";
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cluster run could not read or write the bucket: " + e.getMessage(), e);
        } finally {
            telemetry.clusterRun(outcome, (System.nanoTime() - started) / 1e9);
        }
    }
}
