package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.heads.HeadReport;
import dev.viewfold.heads.TrainOptions;
import dev.viewfold.heads.TrainRun;
import dev.viewfold.jobs.JobProgress;
import dev.viewfold.space.Spaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code train}: learns a projection head on the labelled observations of the model's space
 * ({@code POST /train}, a {@link TrainOptions} body, every field optional), or with
 * {@code "head": "whiten"} fits a whitening head from the observations' views (no labels). Answers
 * the head's {@link HeadReport}. One run at a time per instance: a second gets 409.
 */
@ApplicationScoped
@RegisterForReflection(targets = {TrainOptions.class, HeadReport.class, HeadReport.Settings.class,
        HeadReport.Scores.class, HeadReport.CurvePoint.class, HeadReport.CatchUp.class})
public class TrainFunction {

    private static final Logger LOG = Logger.getLogger(TrainFunction.class);

    @Inject
    TrainRun trainRun;

    @Inject
    Spaces spaces;

    @Inject
    ObjectMapper json;

    @Funq("train")
    public HeadReport train(JsonNode body) {
        return train(body, JobProgress.none());
    }

    /** As a job: each line of progress is a stage, and a cancelled job stops at the next epoch or step. */
    public HeadReport train(JsonNode body, JobProgress progress) {
        boolean empty = body == null || body.isNull() || body.isMissingNode();
        TrainOptions options = RequestBodies.bind(json, empty ? json.createObjectNode() : body, TrainOptions.class);
        try {
            // No catch-up wait here: it would outlast API Gateway's 29 s (the train command has it).
            var outcome = trainRun.run(spaces.model(), options, Duration.ZERO, line -> {
                LOG.debugf("train: %s", line);
                progress.stage(line);
                progress.check();
            });
            HeadReport r = outcome.report();
            LOG.infof("made head %s on %s (%s): %d images projected", r.head(), r.baseSpace(), r.settings().head(),
                    r.imagesProjected());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("training could not write the head to the bucket: " + e.getMessage(), e);
        }
    }
}
