package dev.viewfold.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricTrainerTest {

    /** 64-d, 30 groups of 20 that differ along 6 directions under 8 stronger nuisance directions. */
    private static final List<Labelled> DROWNED = Synthetic.drowned(64, 30, 20, 6, 8, 5);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"LINEAR, TRIPLET", "LINEAR, CONTRASTIVE", "MLP, TRIPLET", "MLP, CONTRASTIVE"})
    void headSeparatesGroupsItNeverSawWhereRawEmbeddingsCannot(HeadKind head, LossKind loss) {
        TrainingSettings settings = TrainingSettings.defaults().withHead(head).withLoss(loss).withOutputDim(32)
                .withLearningRate(1e-3f); // a toy problem far from the identity: a larger step
        List<EpochReport> heard = new ArrayList<>();
        TrainingResult result = MetricTrainer.train(DROWNED, settings, heard::add);
        TrainingReport report = result.report();

        double raw = report.rawValidation().mapAtR();
        double trained = report.headValidation().mapAtR();
        assertTrue(raw < 0.2, "the nuisance should drown the raw embeddings, MAP@R " + raw);
        assertTrue(trained > raw + 0.4, "head MAP@R " + trained + " against raw " + raw);
        assertTrue(report.headValidation().recallAt1() > report.rawValidation().recallAt1() + 0.4);
        assertNull(report.warning());

        Set<String> overlap = new HashSet<>(report.trainGroups());
        overlap.retainAll(report.validationGroups());
        assertTrue(overlap.isEmpty(), "validation groups must be unseen: " + overlap);
        assertEquals(8, report.validationGroups().size()); // round(0.25 × 30)
        assertEquals(22, report.trainGroups().size());

        // The head returned is the best epoch's, and the report's scores are its own.
        List<Labelled> projected = new ArrayList<>();
        for (Labelled it : DROWNED) {
            if (report.validationGroups().containsAll(it.labels())) {
                projected.add(new Labelled(it.id(), result.head().project(it.vector()), it.labels()));
            }
        }
        assertEquals(report.headValidation(), RetrievalMetrics.of(projected));
        assertEquals(report.curve().get(report.bestEpoch()).validationMapAtR(), trained, 0);
        assertEquals(report.curve(), heard);
    }

    @Test
    void epochZeroIsTheInitialHeadAndTrainingStopsAfterPatience() {
        TrainingSettings settings = TrainingSettings.defaults().withOutputDim(16).withPatience(4).withMaxEpochs(60);
        TrainingReport report = MetricTrainer.train(DROWNED, settings, null).report();
        List<EpochReport> curve = report.curve();
        for (int i = 0; i < curve.size(); i++) {
            assertEquals(i, curve.get(i).epoch());
        }
        EpochReport zero = curve.get(0);
        assertTrue(zero.trainLoss() > 0 && zero.activeFraction() > 0, zero.toString());
        int last = curve.size() - 1;
        assertTrue(last == 60 || last == report.bestEpoch() + 4, "stopped at " + last + ", best " + report.bestEpoch());
        for (EpochReport e : curve) {
            assertTrue(e.validationMapAtR() <= report.headValidation().mapAtR(), "best epoch is the best");
        }
    }

    @Test
    void identityInitialisationKeepsRawRetrievalAtEpochZero() {
        // outputDim ≥ inputDim: the initial linear head is an isometry, so epoch 0 is the raw embeddings.
        TrainingSettings settings = TrainingSettings.defaults().withOutputDim(64).withMaxEpochs(1);
        TrainingReport report = MetricTrainer.train(DROWNED, settings, null).report();
        assertEquals(report.rawValidation().mapAtR(), report.curve().get(0).validationMapAtR(), 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"LINEAR", "MLP"})
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot(HeadKind head) {
        TrainingSettings settings = TrainingSettings.defaults().withHead(head).withOutputDim(16).withHiddenDim(32)
                .withMaxEpochs(6);
        TrainingResult a = MetricTrainer.train(DROWNED, settings, null);
        TrainingResult b = MetricTrainer.train(DROWNED, settings, null);
        TrainingResult c = MetricTrainer.train(DROWNED, settings.withSeed(43), null);
        assertArrayEquals(a.head().toBytes(), b.head().toBytes());
        assertEquals(a.head().digest(), b.head().digest());
        assertEquals(a.report(), b.report());
        assertFalse(Arrays.equals(a.head().toBytes(), c.head().toBytes()));
        assertFalse(a.head().digest().equals(c.head().digest()));
    }

    @Test
    void warnsWhenTheHeadRetrievesUnseenGroupsWorseThanRaw() {
        // Training groups differ along coordinates 0–3, validation groups along 4–7 only: a 4-d
        // head fitted to the training groups has no room for what tells validation groups apart.
        long seed = 42;
        List<Labelled> shape = new ArrayList<>();
        for (int g = 0; g < 12; g++) {
            for (int i = 0; i < 10; i++) {
                shape.add(Labelled.of("g" + g + "-" + i, new float[] {1}, String.format("g%02d", g)));
            }
        }
        Set<String> held = new HashSet<>(GroupSplit.of(shape, 0.25, seed).validationGroups);
        Random rnd = new Random(1);
        List<Labelled> data = new ArrayList<>();
        for (Labelled it : shape) {
            String group = it.labels().iterator().next();
            int from = held.contains(group) ? 4 : 0;
            Random centres = new Random(group.hashCode());
            float[] v = new float[16];
            for (int k = from; k < from + 4; k++) {
                v[k] = (float) centres.nextGaussian();
            }
            for (int k = 0; k < 16; k++) {
                v[k] += (float) (0.05 * rnd.nextGaussian());
            }
            data.add(Labelled.of(it.id(), Synthetic.unit(v), group));
        }
        TrainingSettings settings = TrainingSettings.defaults().withOutputDim(4).withMaxEpochs(10).withPatience(3)
                .withSeed(seed);
        TrainingReport report = MetricTrainer.train(data, settings, null).report();
        assertEquals(held, new HashSet<>(report.validationGroups()));
        assertTrue(report.rawValidation().mapAtR() > 0.9, report.rawValidation().toString());
        assertNotNull(report.warning());
        assertTrue(report.warning().startsWith("The head retrieves the 3 unseen validation groups worse than the raw "
                + "embeddings (MAP@R "), report.warning());
    }

    @Test
    void splitKeepsValidationGroupsUnseenEvenThroughMultiLabelItems() {
        List<Labelled> data = new ArrayList<>(Synthetic.separated(8, 8, 4, 0.05, 3));
        GroupSplit plain = GroupSplit.of(data, 0.25, 7);
        String train = plain.trainGroups.get(0);
        String validation = plain.validationGroups.get(0);
        data.add(new Labelled("both", data.get(0).vector(), Set.of(train, validation)));
        GroupSplit split = GroupSplit.of(data, 0.25, 7);
        assertEquals(plain.validationGroups, split.validationGroups);
        assertTrue(split.train.stream().noneMatch(it -> it.id().equals("both")), "never trained on");
        Labelled judged = split.validation.stream().filter(it -> it.id().equals("both")).findFirst().orElseThrow();
        assertEquals(Set.of(validation), judged.labels());
        for (Labelled it : split.validation) {
            assertTrue(split.validationGroups.containsAll(it.labels()));
        }
        for (Labelled it : split.train) {
            assertTrue(split.trainGroups.containsAll(it.labels()));
        }
    }

    @Test
    void dataThatCannotTrainIsRejectedWithAReason() {
        List<Labelled> two = Synthetic.separated(4, 2, 5, 0.05, 1);
        assertEquals("training a head needs at least 3 groups with 2 or more items each (2 to train on, 1 held out "
                + "to validate on); the data has 2 groups, 2 of them with 2 or more items",
                assertThrows(IllegalArgumentException.class,
                        () -> MetricTrainer.train(two, TrainingSettings.defaults(), null)).getMessage());

        List<Labelled> singles = new ArrayList<>(Synthetic.separated(4, 2, 5, 0.05, 1));
        singles.addAll(Synthetic.separated(4, 6, 1, 0.05, 2).stream()
                .map(it -> Labelled.of(it.id() + "s", it.vector(), "single-" + it.id())).toList());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> MetricTrainer.train(singles, TrainingSettings.defaults(), null)).getMessage()
                .endsWith("the data has 8 groups, 2 of them with 2 or more items"));

        List<Labelled> mixed = new ArrayList<>(Synthetic.separated(4, 4, 3, 0.05, 1));
        mixed.add(Labelled.of("odd", new float[] {1, 0, 0}, "g00"));
        assertEquals("mixed dimensions: item odd has 3 where the first item has 4",
                assertThrows(IllegalArgumentException.class,
                        () -> MetricTrainer.train(mixed, TrainingSettings.defaults(), null)).getMessage());

        List<Labelled> nan = new ArrayList<>(Synthetic.separated(4, 4, 3, 0.05, 1));
        nan.add(Labelled.of("nan", new float[] {Float.NaN, 0, 0, 0}, "g00"));
        assertEquals("item nan has a non-finite value in its vector",
                assertThrows(IllegalArgumentException.class,
                        () -> MetricTrainer.train(nan, TrainingSettings.defaults(), null)).getMessage());

        assertEquals("no labelled items to train on", assertThrows(IllegalArgumentException.class,
                () -> MetricTrainer.train(List.of(), TrainingSettings.defaults(), null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricTrainer.train(two, null, null));
    }

    @Test
    void trainingGroupsSplitByStraddlersCanLeaveTooLittleToTrainOn() {
        // Three groups of two; whichever is held out, the items of the other two also carry it.
        List<Labelled> data = new ArrayList<>();
        Random rnd = new Random(3);
        for (String[] labels : new String[][] {{"a", "b", "c"}, {"a", "b", "c"}}) {
            data.add(new Labelled("x" + data.size(), Synthetic.unit(Synthetic.gaussian(4, rnd)), Set.of(labels)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricTrainer.train(data, TrainingSettings.defaults(), null));
        assertTrue(e.getMessage().startsWith("training needs at least 2 groups with 2 or more items each"),
                e.getMessage());
    }
}
