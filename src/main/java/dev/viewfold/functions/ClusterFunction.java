package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viewfold.check.CheckRun;
import dev.viewfold.cluster.ClusterChanges;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.ClusterSettings;
import dev.viewfold.cluster.RunSummary;
import dev.viewfold.cluster.SampleModel;
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
 * input may name another {@code space} (a trained head's) and ask for a {@code refit} (fit UMAP +
 * HDBSCAN again even where placing the new observations among the last fit's clusters would do);
 * anything else in it (an EventBridge Scheduler payload) is ignored. One run at a time per instance: a second request while one runs gets 409.
 */
@ApplicationScoped
@RegisterForReflection(targets = {RunSummary.class, ClusterChanges.class, ClusterChanges.Split.class,
        ClusterChanges.Merge.class, ClusterSettings.class, ClusterRun.Phase.class, ClusterRun.Segment.class,
        SampleModel.Member.class})
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

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    dev.viewfold.config.ViewfoldConfig config;

    /**
     * A schedule's payload, {@code {}} or nothing all start one run of the model's space; with
     * {@code phase} (the cluster state machine on AWS) one phase of a run in steps: {@code fit}
     * (answers the run, whether segments are left, and the segments), {@code assign} (one segment),
     * {@code finish} (the run's summary).
     */
    @Funq("cluster")
    public JsonNode cluster(JsonNode input) {
        JsonNode phase = input == null ? null : input.get("phase");
        if (phase == null || phase.isNull()) {
            return json.valueToTree(cluster(input, JobProgress.none()));
        }
        try {
            return switch (phase.asText()) {
                case "fit" -> {
                    Space space = spaces.require(text(input, "space", false));
                    repairFirst();
                    int segments = config.cluster().segments() > 0 ? config.cluster().segments() : 16;
                    JsonNode refit = input.get("refit");
                    yield json.valueToTree(clusterRun.fitPhase(space.id(), segments, refit != null && refit.asBoolean(),
                            ClusterRun.eachStage(stage -> LOG.infof("cluster fit: %s", stage))));
                }
                case "assign" -> {
                    int segment = number(input, "segment");
                    int total = number(input, "totalSegments");
                    if (total < 1 || segment >= total) {
                        throw Refused.invalid("segment must be below totalSegments (got " + segment + " of " + total + ")");
                    }
                    yield clusterRun.assignPhase(text(input, "run", true), segment, total);
                }
                case "finish" -> json.valueToTree(clusterRun.finishPhase(text(input, "run", true)));
                default -> throw Refused.invalid("unknown phase '" + Refused.echo(phase.asText())
                        + "': use fit, assign or finish (or no phase for a whole run)");
            };
        } catch (dev.viewfold.store.ObjectStore.ObjectNotFoundException e) {
            throw Refused.notFound("no fitted cluster run '" + Refused.echo(text(input, "run", false))
                    + "' to continue (its fit phase wrote nothing there): " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cluster " + phase.asText() + " could not read or write the bucket: "
                    + e.getMessage(), e);
        }
    }

    private static String text(JsonNode input, String field, boolean required) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Refused.invalid("field '" + field + "' is required for this phase");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw Refused.invalid("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static int number(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw Refused.invalid("field '" + field + "' must be a whole number ≥ 0");
        }
        return v.asInt();
    }

    /** As a job: the run's stages are the job's, and a cancelled job stops at the next step. */
    public RunSummary cluster(JsonNode input, JobProgress progress) {
        if (input != null && input.hasNonNull("phase")) {
            throw Refused.invalid("phases are the AWS state machine's (the cluster Lambda); here a run is whole:"
                    + " send {} or {\"space\": ...}, with \"refit\": true to fit again");
        }
        JsonNode refit = input == null ? null : input.get("refit");
        if (refit != null && !refit.isNull() && !refit.isBoolean()) {
            throw Refused.invalid("field 'refit' must be true or false, not " + Refused.echo(refit));
        }
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
            }, refit != null && refit.asBoolean());
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
