package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.LossKind;
import dev.viewfold.groups.Mining;
import dev.viewfold.groups.TrainRun;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.groups.ViewWhitening;
import dev.viewfold.wiring.EncodeWiring.EmbeddingSpace;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code train}: learns a projection head on the labelled observations of the model's space
 * ({@code POST /train}); every field is optional. Answers the training report: the head's space,
 * the curve, and retrieval of unseen validation groups with and without the head. With
 * {@code "head": "whiten"} it fits a whitening head from the observations' views instead (no labels).
 */
@ApplicationScoped
@RegisterForReflection(targets = {TrainFunction.Request.class})
public class TrainFunction {

    private static final Logger LOG = Logger.getLogger(TrainFunction.class);

    /**
     * @param head               {@code linear} (default) or {@code mlp}
     * @param dimension          the head's output dimension (default: the model's own, the head starting as the identity)
     * @param hidden             the MLP's hidden width
     * @param loss               {@code triplet} (default) or {@code contrastive}
     * @param mining             triplet mining: {@code batch-hard} or {@code semi-hard}
     * @param margin             the loss margin, in cosine distance
     * @param learningRate       Adam's step size
     * @param weightDecay        L2 penalty on the weights
     * @param groupsPerBatch     groups in a batch
     * @param perGroup           observations per group in a batch
     * @param maxEpochs          epochs at most
     * @param patience           epochs without a better validation MAP@R before stopping
     * @param validationFraction share of the groups held out to validate on (unseen groups)
     * @param seed               the same seed on the same data gives the same head
     * @param examples           learn from labelled {@code observations} (default) or {@code images}
     * @param shrink             for {@code head: whiten} only: the ridge, as a share of the average view variance
     */
    public record Request(String head, Integer dimension, Integer hidden, String loss, String mining, Float margin,
                          Float learningRate, Float weightDecay, Integer groupsPerBatch, Integer perGroup,
                          Integer maxEpochs, Integer patience, Double validationFraction, Long seed,
                          String examples, Double shrink) {
    }

    @Inject
    TrainRun trainRun;

    @Inject
    EmbeddingSpace space;

    @Inject
    ObjectMapper json;

    private final ReentrantLock running = new ReentrantLock();

    @Funq("train")
    public JsonNode train(JsonNode body) {
        boolean empty = body == null || body.isNull() || body.isMissingNode();
        Request request = RequestBodies.bind(json, empty ? json.createObjectNode() : body, Request.class);
        if (request.head() != null && "whiten".equalsIgnoreCase(request.head().trim())) {
            return whiten(request);
        }
        if (request.shrink() != null) {
            throw new BadRequest("shrink is for head \"whiten\"");
        }
        TrainingSettings settings = settings(request);
        TrainRun.Examples examples = request.examples() == null ? TrainRun.Examples.OBSERVATIONS
                : RequestBodies.choice(TrainRun.Examples.class, "examples", request.examples());
        // No catch-up wait here: it would outlast API Gateway's 29 s (the train command has it).
        return locked(() -> {
            var outcome = trainRun.train(space.id(), settings, examples, line -> LOG.debugf("train: %s", line));
            LOG.infof("trained head %s on %s: validation MAP@R %.4f -> %.4f; %d images projected",
                    outcome.head().digest(), space.id(), outcome.training().rawValidation().mapAtR(),
                    outcome.training().headValidation().mapAtR(), outcome.projected().images());
            return outcome.report();
        });
    }

    /** {@code head: whiten}: fitted from the observations' views, so no training field applies. */
    private JsonNode whiten(Request r) {
        if (r.dimension() != null || r.hidden() != null || r.loss() != null || r.mining() != null || r.margin() != null
                || r.learningRate() != null || r.weightDecay() != null || r.groupsPerBatch() != null
                || r.perGroup() != null || r.maxEpochs() != null || r.patience() != null
                || r.validationFraction() != null || r.seed() != null || r.examples() != null) {
            throw new BadRequest("head \"whiten\" is fitted, not trained: it takes shrink only");
        }
        double shrink = r.shrink() == null ? ViewWhitening.DEFAULT_SHRINK : r.shrink();
        if (ViewWhitening.shrinkProblem(shrink) != null) {
            throw new BadRequest(ViewWhitening.shrinkProblem(shrink));
        }
        return locked(() -> {
            var outcome = trainRun.whiten(space.id(), shrink, java.time.Duration.ZERO,
                    line -> LOG.debugf("train: %s", line));
            LOG.infof("fitted whitening head %s on %s: %d images projected", outcome.head().digest(), space.id(),
                    outcome.projected().images());
            return outcome.report();
        });
    }

    private interface Run {
        JsonNode call() throws IOException;
    }

    /** One run at a time (409 otherwise); a refusal of the data is a 400, a bucket failure a 500. */
    private JsonNode locked(Run run) {
        if (!running.tryLock()) {
            throw new BadRequest(409, "a training run is already in progress; try again when it has finished");
        }
        try {
            return run.call();
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("training could not write the head to the bucket: " + e.getMessage(), e);
        } finally {
            running.unlock();
        }
    }

    /** A trained head's kind; the message also names {@code whiten}, which is fitted, not trained. */
    private static HeadKind head(String name) {
        try {
            return RequestBodies.choice(HeadKind.class, "head", name);
        } catch (BadRequest e) {
            throw new BadRequest(e.getMessage() + ", whiten");
        }
    }

    /** The request over the defaults; anything out of range is a 400 naming the field. */
    public static TrainingSettings settings(Request r) {
        TrainingSettings d = TrainingSettings.defaults();
        try {
            return new TrainingSettings(
                    r.head() == null ? d.head() : head(r.head()),
                    r.dimension() == null ? d.outputDim() : r.dimension(),
                    r.hidden() == null ? d.hiddenDim() : r.hidden(),
                    r.loss() == null ? d.loss() : RequestBodies.choice(LossKind.class, "loss", r.loss()),
                    r.mining() == null ? d.mining() : RequestBodies.choice(Mining.class, "mining", r.mining()),
                    r.margin() == null ? d.margin() : r.margin(),
                    r.learningRate() == null ? d.learningRate() : r.learningRate(),
                    r.weightDecay() == null ? d.weightDecay() : r.weightDecay(),
                    r.groupsPerBatch() == null ? d.groupsPerBatch() : r.groupsPerBatch(),
                    r.perGroup() == null ? d.perGroup() : r.perGroup(),
                    r.maxEpochs() == null ? d.maxEpochs() : r.maxEpochs(),
                    r.patience() == null ? d.patience() : r.patience(),
                    r.validationFraction() == null ? d.validationFraction() : r.validationFraction(),
                    r.seed() == null ? d.seed() : r.seed());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }
}
