package dev.viewfold.classify;

import dev.viewfold.classify.linear.LinearFit;
import dev.viewfold.classify.linear.LinearModel;
import dev.viewfold.groups.Labelled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A linear classifier (softmax; one-versus-rest where some labelled row carries several groups) with
 * C chosen by cross-validation, and its decision rule: the best group, unless {@link Rejection}
 * says none; on multi-label data also every other group whose probability passes that group's own
 * threshold (the F1-best on out-of-fold probabilities, as {@link Calibration} chooses them).
 *
 * <p>{@link #build} runs one procedure twice. The procedure: C is chosen by k-fold cross-validation,
 * the rejection (and the multi-label thresholds) are calibrated on the out-of-fold scores, and a
 * model is fitted on all its rows with that C. Run without the held-out rows, it answers them: the
 * {@link HeldOutCheck}, from rows it was neither fitted, tuned nor calibrated on. Run on every row,
 * it makes the classifier kept, as {@code LogisticRegressionCV} refits on everything. Deterministic
 * for a seed, byte for byte ({@link #toBytes}, versioned by {@link #digest}).
 */
public final class LinearClassifier implements FittedClassifier {

    private static final byte[] MAGIC = {'V', 'F', 'L', 'C'};
    private static final int VERSION = 1;

    private final String rowsDigest;
    private final LinearModel model;
    private final Rejection rejection;
    /** Multi-label: each group's threshold for joining the best group. */
    private final Map<String, Float> extra;
    private final double cvAccuracy;
    private final HeldOutCheck heldOut;
    private volatile String digest;

    LinearClassifier(String rowsDigest, LinearModel model, Rejection rejection, Map<String, Float> extra,
                     double cvAccuracy, HeldOutCheck heldOut) {
        this.rowsDigest = rowsDigest;
        this.model = model;
        this.rejection = rejection;
        this.extra = new TreeMap<>(extra);
        this.cvAccuracy = cvAccuracy;
        this.heldOut = heldOut;
    }

    /** Whether the rows can make one: two groups or more, each of two rows or more in at least two. */
    public static String cannotBuild(List<Labelled> data, boolean[] held) {
        Map<String, Integer> fitCounts = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            if (!held[i]) {
                for (String l : data.get(i).labels()) {
                    fitCounts.merge(l, 1, Integer::sum);
                }
            }
        }
        long several = fitCounts.values().stream().filter(c -> c >= 2).count();
        return several >= 2 ? null : "a linear classifier needs at least two groups with two or more labelled"
                + " observations each to choose its regularisation on; this space has " + several;
    }

    /**
     * See the class comment.
     *
     * @param held       the rows to hold out (from {@link Calibration#heldOut}, or a head's own)
     * @param rowsDigest what the rows and settings were ({@link #rowsDigest}), recorded
     * @throws IllegalArgumentException when {@link #cannotBuild} says why not
     */
    public static LinearClassifier build(List<Labelled> data, boolean[] held, LinearSettings s, String rowsDigest) {
        String why = cannotBuild(data, held);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        List<String> groups = LinearFit.groupsOf(data);
        boolean multi = LinearFit.multiLabel(data);
        List<Labelled> fitOn = new ArrayList<>();
        List<Labelled> heldOut = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (held[i] ? heldOut : fitOn).add(data.get(i));
        }
        HeldOutCheck check = HeldOutCheck.NONE;
        if (!heldOut.isEmpty()) {
            // The whole procedure without the held-out rows, then checked on them.
            LinearFit.CrossValidated cv = LinearFit.crossValidate(fitOn, groups, multi, s.fit());
            Decision d = Decision.calibrate(fitOn, groups, multi, cv, s);
            LinearClassifier partial = new LinearClassifier(rowsDigest,
                    LinearFit.fit(fitOn, groups, multi, cv.c(), s.fit()), d.rejection, d.extra, cv.accuracy(),
                    HeldOutCheck.NONE);
            check = HeldOutCheck.of(heldOut, partial::classify);
        }
        // The same procedure on every row is what answers.
        LinearFit.CrossValidated cv = LinearFit.crossValidate(data, groups, multi, s.fit());
        Decision d = Decision.calibrate(data, groups, multi, cv, s);
        LinearModel full = LinearFit.fit(data, groups, multi, cv.c(), s.fit());
        return new LinearClassifier(rowsDigest, full, d.rejection, d.extra, cv.accuracy(), check);
    }

    /** The rejection and the multi-label thresholds, from out-of-fold scores of rows whose groups the fold knew. */
    private record Decision(Rejection rejection, Map<String, Float> extra) {

        static Decision calibrate(List<Labelled> rows, List<String> groups, boolean multi, LinearFit.CrossValidated cv,
                                  LinearSettings s) {
            List<Integer> known = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (cv.comparable()[i]) {
                    known.add(i);
                }
            }
            double[] top = new double[known.size()];
            double[] sim = new double[known.size()];
            for (int r = 0; r < known.size(); r++) {
                double[] p = cv.probabilities()[known.get(r)];
                top[r] = Arrays.stream(p).max().orElse(0);
                sim[r] = cv.similarity()[known.get(r)];
            }
            Rejection rejection = Rejection.calibrate(top, s.similarity() ? sim : null, s.rejectShare());
            Map<String, Float> extra = new TreeMap<>();
            if (multi) {
                float[] column = new float[known.size()];
                boolean[] positive = new boolean[known.size()];
                for (int g = 0; g < groups.size(); g++) {
                    int positives = 0;
                    for (int r = 0; r < known.size(); r++) {
                        column[r] = (float) cv.probabilities()[known.get(r)][g];
                        positive[r] = rows.get(known.get(r)).labels().contains(groups.get(g));
                        positives += positive[r] ? 1 : 0;
                    }
                    // No out-of-fold member: only ever answered as the best group.
                    extra.put(groups.get(g), positives > 0 ? Calibration.bestF1Threshold(column, positive, column.length)
                            : 1.01f);
                }
            }
            return new Decision(rejection, extra);
        }
    }

    @Override
    public ClassifierKind kind() {
        return ClassifierKind.LINEAR;
    }

    @Override
    public Classification classify(float[] query) {
        double[] p = model.probabilities(query);
        double similarity = model.similarity(query);
        List<String> names = model.groups();
        Integer[] order = new Integer[names.size()];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a])); // stable: ties stay in name order
        List<GroupScore> scores = new ArrayList<>(order.length);
        for (int g : order) {
            scores.add(new GroupScore(names.get(g), (float) p[g]));
        }
        List<String> groups = new ArrayList<>();
        if (!rejection.rejects(p[order[0]], similarity)) {
            groups.add(names.get(order[0]));
            if (model.multiLabel()) {
                for (int r = 1; r < order.length; r++) {
                    if (p[order[r]] >= extra.get(names.get(order[r]))) {
                        groups.add(names.get(order[r]));
                    }
                }
            }
        }
        return new Classification(scores, groups, groups.isEmpty());
    }

    /** Single-label: the probability the best group needs; multi-label: what another group needs to join it. */
    @Override
    public float threshold(String group) {
        return model.multiLabel() ? extra.getOrDefault(group, 1.01f) : (float) rejection.minProbability();
    }

    @Override
    public HeldOutCheck heldOut() {
        return heldOut;
    }

    /** The same model answering with another rejection (to compare rejections on one fit). */
    public LinearClassifier withRejection(Rejection other) {
        return new LinearClassifier(rowsDigest, model, other, extra, cvAccuracy, heldOut);
    }

    public LinearModel model() {
        return model;
    }

    public Rejection rejection() {
        return rejection;
    }

    /** Out-of-fold accuracy at the C chosen, on the rows it was cross-validated on. */
    public double cvAccuracy() {
        return cvAccuracy;
    }

    /** What the rows and settings it was built from were: a stored classifier is used while they still are. */
    public String rowsDigest() {
        return rowsDigest;
    }

    /** The versioned binary form. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(rowsDigest);
            out.writeDouble(rejection.minProbability());
            out.writeDouble(rejection.minSimilarity());
            out.writeInt(extra.size());
            for (Map.Entry<String, Float> e : extra.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeFloat(e.getValue());
            }
            out.writeDouble(cvAccuracy);
            out.writeInt(heldOut.items());
            out.writeDouble(heldOut.topAccuracy());
            out.writeDouble(heldOut.accuracy());
            out.writeDouble(heldOut.none());
            model.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes}; anything else (another magic or version, truncated or corrupt bytes) is
     * an {@link IllegalArgumentException} saying what is wrong.
     */
    public static LinearClassifier fromBytes(byte[] b) {
        if (b == null || b.length < 8 || !Arrays.equals(b, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("not a linear classifier (no \"VFLC\" magic)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            in.skipNBytes(4);
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("linear classifier format version " + version
                        + " is not supported (this build reads version " + VERSION + ")");
            }
            String rows = in.readUTF();
            Rejection rejection = new Rejection(in.readDouble(), in.readDouble());
            int extras = in.readInt();
            if (extras < 0 || extras > 1_000_000) {
                throw new IllegalArgumentException("corrupt linear classifier: " + extras + " group thresholds");
            }
            Map<String, Float> extra = new TreeMap<>();
            for (int i = 0; i < extras; i++) {
                extra.put(in.readUTF(), in.readFloat());
            }
            double cv = in.readDouble();
            HeldOutCheck check = new HeldOutCheck(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble());
            LinearModel model = LinearModel.read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("corrupt linear classifier: bytes after its end");
            }
            return new LinearClassifier(rows, model, rejection, extra, cv, check);
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException("truncated linear classifier", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first 12 hex characters of the SHA-256 of {@link #toBytes}: this classifier's version. */
    public String digest() {
        String d = digest;
        if (d == null) {
            try {
                d = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toBytes()), 0, 6);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            digest = d;
        }
        return d;
    }
}
