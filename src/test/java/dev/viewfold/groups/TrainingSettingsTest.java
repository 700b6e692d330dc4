package dev.viewfold.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    private static final TrainingSettings D = TrainingSettings.defaults();

    private static void rejects(String message, Supplier<TrainingSettings> build) {
        assertEquals(message, assertThrows(dev.viewfold.errors.Refused.class, build::get).getMessage());
    }

    @Test
    void defaults() {
        assertEquals(new TrainingSettings(HeadKind.LINEAR, 0, 512, LossKind.TRIPLET, Mining.SEMI_HARD, 0.2f, 1e-4f,
                1e-4f, 16, 4, 200, 15, 0.25, 42L), D);
    }

    @Test
    void everyFieldIsValidatedWithItsNameAndRange() {
        rejects("head must be LINEAR or MLP, not null", () -> D.withHead(null));
        rejects("loss must be TRIPLET or CONTRASTIVE, not null", () -> D.withLoss(null));
        rejects("mining must be BATCH_HARD or SEMI_HARD, not null", () -> D.withMining(null));
        rejects("outputDim must be in 0..4096, not -1", () -> D.withOutputDim(-1));
        rejects("outputDim must be in 0..4096, not 5000", () -> D.withOutputDim(5000));
        rejects("hiddenDim must be in 2..16384, not 1", () -> D.withHiddenDim(1));
        rejects("margin must be in (0, 2] (a cosine distance), not 0.0", () -> D.withMargin(0));
        rejects("margin must be in (0, 2] (a cosine distance), not 2.5", () -> D.withMargin(2.5f));
        rejects("margin must be in (0, 2] (a cosine distance), not NaN", () -> D.withMargin(Float.NaN));
        rejects("learningRate must be in (0, 1], not -0.001", () -> D.withLearningRate(-0.001f));
        rejects("learningRate must be in (0, 1], not Infinity", () -> D.withLearningRate(Float.POSITIVE_INFINITY));
        rejects("weightDecay must be in [0, 1), not 1.0", () -> D.withWeightDecay(1));
        rejects("weightDecay must be in [0, 1), not -0.1", () -> D.withWeightDecay(-0.1f));
        rejects("groupsPerBatch must be in 2..1024, not 1", () -> D.withBatch(1, 4));
        rejects("perGroup must be in 2..1024, not 1", () -> D.withBatch(16, 1));
        rejects("maxEpochs must be in 1..100000, not 0", () -> D.withMaxEpochs(0));
        rejects("patience must be in 1..100000, not 0", () -> D.withPatience(0));
        rejects("validationFraction must be in (0, 1) (a share of the groups), not 0.0",
                () -> D.withValidationFraction(0));
        rejects("validationFraction must be in (0, 1) (a share of the groups), not 1.0",
                () -> D.withValidationFraction(1));
    }

    @Test
    void withersChangeOneFieldOnly() {
        TrainingSettings s = D.withHead(HeadKind.MLP).withLoss(LossKind.CONTRASTIVE).withMining(Mining.BATCH_HARD)
                .withOutputDim(64).withHiddenDim(256).withMargin(0.5f).withLearningRate(3e-4f).withWeightDecay(0)
                .withBatch(8, 6).withMaxEpochs(50).withPatience(5).withValidationFraction(0.2).withSeed(7);
        assertEquals(new TrainingSettings(HeadKind.MLP, 64, 256, LossKind.CONTRASTIVE, Mining.BATCH_HARD, 0.5f, 3e-4f,
                0f, 8, 6, 50, 5, 0.2, 7L), s);
    }
}
