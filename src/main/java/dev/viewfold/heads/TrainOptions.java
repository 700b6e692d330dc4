package dev.viewfold.heads;

import dev.viewfold.errors.Choice;
import dev.viewfold.errors.Refused;
import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.LossKind;
import dev.viewfold.groups.Mining;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.groups.ViewWhitening;

/**
 * What a train run is asked for, as {@code POST /train}'s body and the {@code train} command's
 * options both give it; every field is optional (null: the default). Names of choices are checked
 * here, once, with one message each.
 *
 * @param head               {@code linear} (default), {@code mlp}, or {@code whiten} (fitted from views, no labels)
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
public record TrainOptions(String head, Integer dimension, Integer hidden, String loss, String mining, Float margin,
                           Float learningRate, Float weightDecay, Integer groupsPerBatch, Integer perGroup,
                           Integer maxEpochs, Integer patience, Double validationFraction, Long seed,
                           String examples, Double shrink) {

    public static final TrainOptions DEFAULTS = new TrainOptions(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    /** Whether a whitening head is asked for (fitted from the observations' views, not trained). */
    public boolean whitening() {
        return head != null && "whiten".equalsIgnoreCase(head.trim());
    }

    /**
     * The whitening head's ridge.
     *
     * @throws Refused when a training option is given too, or the ridge is out of range
     */
    public double whiteningShrink() {
        if (dimension != null || hidden != null || loss != null || mining != null || margin != null
                || learningRate != null || weightDecay != null || groupsPerBatch != null || perGroup != null
                || maxEpochs != null || patience != null || validationFraction != null || seed != null
                || examples != null) {
            throw Refused.invalid("head \"whiten\" is fitted, not trained: it takes shrink only");
        }
        double s = shrink == null ? ViewWhitening.DEFAULT_SHRINK : shrink;
        String problem = ViewWhitening.shrinkProblem(s);
        if (problem != null) {
            throw Refused.invalid(problem);
        }
        return s;
    }

    /** What a trained head learns from. */
    public TrainRun.Examples examplesKind() {
        return examples == null ? TrainRun.Examples.OBSERVATIONS : Choice.of(TrainRun.Examples.class, "examples", examples);
    }

    /**
     * The training settings: these options over the defaults.
     *
     * @throws Refused naming the field out of range or the unknown choice
     */
    public TrainingSettings settings() {
        if (shrink != null) {
            throw Refused.invalid("shrink is for head \"whiten\"");
        }
        TrainingSettings d = TrainingSettings.defaults();
        return new TrainingSettings(
                head == null ? d.head() : headKind(head),
                dimension == null ? d.outputDim() : dimension,
                hidden == null ? d.hiddenDim() : hidden,
                loss == null ? d.loss() : Choice.of(LossKind.class, "loss", loss),
                mining == null ? d.mining() : Choice.of(Mining.class, "mining", mining),
                margin == null ? d.margin() : margin,
                learningRate == null ? d.learningRate() : learningRate,
                weightDecay == null ? d.weightDecay() : weightDecay,
                groupsPerBatch == null ? d.groupsPerBatch() : groupsPerBatch,
                perGroup == null ? d.perGroup() : perGroup,
                maxEpochs == null ? d.maxEpochs() : maxEpochs,
                patience == null ? d.patience() : patience,
                validationFraction == null ? d.validationFraction() : validationFraction,
                seed == null ? d.seed() : seed);
    }

    /** A trained head's kind; the message also names {@code whiten}, which is fitted, not trained. */
    private static HeadKind headKind(String name) {
        try {
            return Choice.of(HeadKind.class, "head", name);
        } catch (Refused e) {
            throw Refused.invalid(e.getMessage() + ", whiten");
        }
    }
}
