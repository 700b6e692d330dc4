package dev.viewfold.groups;

import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains a {@link ProjectionHead} on frozen embeddings with a triplet or contrastive loss.
 *
 * <p>Groups (not items) are split into training and validation ({@link GroupSplit}); the head learns
 * from P×K batches of the training groups' items ({@link BatchSampler}) with Adam, and after every
 * epoch retrieval (MAP@R, Recall@1) is measured on the validation groups' items projected by the
 * head. The best epoch's head is kept, and training stops after {@code patience} epochs without a
 * better MAP@R. Epoch 0 is the initial head, measured before any step ({@link HeadInit} makes it
 * about as good as the raw embeddings), so a head that only over-fits its training groups is never
 * kept over it.
 *
 * <p>Deterministic: one thread, sums in a fixed order, every random choice from {@link Rng}
 * streams of the seed. The same data (in the same order) and settings give the same head, byte for
 * byte.
 */
public final class MetricTrainer {

    static final long STREAM_INIT = 0x1417L;
    static final long STREAM_BATCHES = 0xBA7C4L;
    static final long STREAM_EPOCH_ZERO = 0xE0L;
    /** How far below the raw embeddings (in MAP@R) a head may fall before the report warns. */
    static final double WARN_BELOW_RAW = 0.01;

    private MetricTrainer() {
    }

    /**
     * Trains a head (see the class comment). {@code progress} (may be null) hears every epoch as it
     * ends, epoch 0 included.
     *
     * @throws IllegalArgumentException when the data cannot train a head: no data, vectors of mixed
     *     dimensions or with non-finite values, fewer than 3 groups with 2 or more items, no training
     *     pair or no validation question left after the split
     */
    public static TrainingResult train(List<Labelled> data, TrainingSettings settings, Consumer<EpochReport> progress) {
        if (settings == null) {
            throw new IllegalArgumentException("no settings (null); TrainingSettings.defaults() is a start");
        }
        int in = checkData(data);
        Consumer<EpochReport> listener = progress == null ? e -> { } : progress;
        GroupSplit split = GroupSplit.of(data, settings.validationFraction(), settings.seed());

        LabelBits trainLabels = new LabelBits(split.trainGroups);
        float[][] xs = new float[split.train.size()][];
        long[][] bits = new long[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            Labelled it = split.train.get(i);
            xs[i] = it.vector();
            bits[i] = trainLabels.bits(it.labels());
        }
        int[][] members = members(xs.length, bits, trainLabels.names.size());

        LabelBits validationLabels = new LabelBits(split.validationGroups);
        float[][] vx = new float[split.validation.size()][];
        long[][] vbits = new long[vx.length][];
        for (int i = 0; i < vx.length; i++) {
            Labelled it = split.validation.get(i);
            vx[i] = it.vector();
            vbits[i] = validationLabels.bits(it.labels());
        }
        RetrievalScores raw = RetrievalMetrics.of(split.validation);

        int hidden = settings.head() == HeadKind.LINEAR ? 0 : settings.hiddenDim();
        int out = settings.outputDim() == 0 ? in : settings.outputDim(); // 0: the input's own size
        float[] params = HeadInit.initial(settings.head(), in, hidden, out, xs,
                Rng.of(settings.seed(), STREAM_INIT));
        BatchSampler sampler = new BatchSampler(members, settings.groupsPerBatch(), settings.perGroup(),
                Rng.of(settings.seed(), STREAM_BATCHES));
        int capacity = sampler.capacity();
        HeadNetwork net = new HeadNetwork(settings.head(), in, hidden, out, params, capacity);
        TrainingStep step = new TrainingStep(net, new BatchLoss(settings.loss(), settings.mining(), settings.margin()),
                capacity);
        Adam adam = new Adam(params.length, settings.learningRate(), settings.weightDecay(), net.decayRanges());
        int batchesPerEpoch = Math.max(1, (xs.length + capacity - 1) / capacity);
        int[] batch = new int[capacity];
        float[][] projected = new float[vx.length][out];

        List<EpochReport> curve = new ArrayList<>();
        BatchSampler zeroSampler = new BatchSampler(members, settings.groupsPerBatch(), settings.perGroup(),
                Rng.of(settings.seed(), STREAM_EPOCH_ZERO));
        double loss0 = 0;
        long active0 = 0;
        long total0 = 0;
        for (int b = 0; b < batchesPerEpoch; b++) {
            int n = zeroSampler.next(batch);
            loss0 += step.run(xs, bits, batch, n, false);
            active0 += step.loss.active;
            total0 += step.loss.total;
        }
        RetrievalScores best = evaluate(net, vx, vbits, projected);
        EpochReport zero = new EpochReport(0, loss0 / batchesPerEpoch, fraction(active0, total0), best.mapAtR(),
                best.recallAt1());
        curve.add(zero);
        listener.accept(zero);
        float[] bestParams = params.clone();
        int bestEpoch = 0;
        int since = 0;
        for (int epoch = 1; epoch <= settings.maxEpochs() && since < settings.patience(); epoch++) {
            double loss = 0;
            long active = 0;
            long total = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                int n = sampler.next(batch);
                net.zeroGrads();
                loss += step.run(xs, bits, batch, n, true);
                active += step.loss.active;
                total += step.loss.total;
                adam.step(net.params, net.grads);
            }
            RetrievalScores scores = evaluate(net, vx, vbits, projected);
            EpochReport report = new EpochReport(epoch, loss / batchesPerEpoch, fraction(active, total),
                    scores.mapAtR(), scores.recallAt1());
            curve.add(report);
            listener.accept(report);
            if (scores.mapAtR() > best.mapAtR()) {
                best = scores;
                bestEpoch = epoch;
                System.arraycopy(net.params, 0, bestParams, 0, bestParams.length);
                since = 0;
            } else {
                since++;
            }
        }
        ProjectionHead head = new ProjectionHead(settings.head(), in, hidden, out, bestParams);
        String warning = null;
        if (best.mapAtR() < raw.mapAtR() - WARN_BELOW_RAW) {
            warning = String.format(Locale.ROOT, "The head retrieves the %d unseen validation groups worse than the "
                    + "raw embeddings (MAP@R %.3f against %.3f): it does not carry over to new groups; prefer the raw "
                    + "embeddings, or train with more groups.", split.validationGroups.size(), best.mapAtR(),
                    raw.mapAtR());
        }
        TrainingReport report = new TrainingReport(settings, split.trainGroups, split.validationGroups, curve,
                bestEpoch, raw, best, warning);
        return new TrainingResult(head, report);
    }

    private static int checkData(List<Labelled> data) {
        if (data == null || data.isEmpty()) {
            throw new IllegalArgumentException("no labelled items to train on");
        }
        int d = -1;
        for (Labelled it : data) {
            if (it == null) {
                throw new IllegalArgumentException("a labelled item is null");
            }
            float[] v = it.vector();
            if (d < 0) {
                d = v.length;
            } else if (v.length != d) {
                throw new IllegalArgumentException("mixed dimensions: item " + it.id() + " has " + v.length
                        + " where the first item has " + d);
            }
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("item " + it.id() + " has a non-finite value in its vector");
                }
            }
        }
        return d;
    }

    /** Per training group id, the indices of its items. */
    private static int[][] members(int n, long[][] bits, int groups) {
        int[] counts = new int[groups];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < groups; g++) {
                if (LabelBits.has(bits[i], g)) {
                    counts[g]++;
                }
            }
        }
        int[][] members = new int[groups][];
        for (int g = 0; g < groups; g++) {
            members[g] = new int[counts[g]];
            counts[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < groups; g++) {
                if (LabelBits.has(bits[i], g)) {
                    members[g][counts[g]++] = i;
                }
            }
        }
        return members;
    }

    private static RetrievalScores evaluate(HeadNetwork net, float[][] vx, long[][] vbits, float[][] projected) {
        int out = net.out;
        for (int i = 0; i < vx.length; i++) {
            net.forward(vx[i], 0);
            System.arraycopy(net.y, 0, projected[i], 0, out);
        }
        return RetrievalMetrics.of(projected, vbits);
    }

    private static double fraction(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
