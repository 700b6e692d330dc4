package dev.viewfold.classify.linear;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A fitted linear classifier over groups: the feature map, one weight vector and intercept per
 * group, and each group's prototype (the normalised mean of its unit vectors), which says how far a
 * query is from everything labelled. Immutable: safe from any number of threads.
 */
public final class LinearModel {

    private final List<String> groups;
    private final boolean multiLabel;
    private final Features.Map features;
    private final double c;
    private final int dim;
    /** dim × groups, row-major (see {@link LinearLoss}). */
    private final float[] weights;
    private final float[] intercepts;
    /** groups × dim, row-major, unit rows (all zero for a group with no rows). */
    private final float[] prototypes;

    LinearModel(List<String> groups, boolean multiLabel, Features.Map features, double c, int dim, float[] weights,
                float[] intercepts, float[] prototypes) {
        this.groups = List.copyOf(groups);
        this.multiLabel = multiLabel;
        this.features = features;
        this.c = c;
        this.dim = dim;
        this.weights = weights;
        this.intercepts = intercepts;
        this.prototypes = prototypes;
    }

    /** The groups, sorted; scores come in this order. */
    public List<String> groups() {
        return groups;
    }

    /** One-versus-rest (independent probabilities) when some labelled row had several groups; else softmax. */
    public boolean multiLabel() {
        return multiLabel;
    }

    public Features features() {
        return features.kind();
    }

    /** The inverse regularisation strength it was fitted with. */
    public double c() {
        return c;
    }

    public int dim() {
        return dim;
    }

    /** Each group's probability for the vector (softmax: they sum to 1; one-versus-rest: each in [0, 1]). */
    public double[] probabilities(float[] v) {
        requireDim(v);
        int k = groups.size();
        double[] x = new double[dim];
        features.apply(v, x, 0);
        double[] z = new double[k];
        for (int g = 0; g < k; g++) {
            z[g] = intercepts[g];
        }
        for (int j = 0; j < dim; j++) {
            double xj = x[j];
            if (xj != 0) {
                int w = j * k;
                for (int g = 0; g < k; g++) {
                    z[g] += xj * weights[w + g];
                }
            }
        }
        if (multiLabel) {
            for (int g = 0; g < k; g++) {
                z[g] = LinearLoss.sigmoid(z[g]);
            }
            return z;
        }
        LinearLoss.softmaxResidual(z, 0);
        z[0] += 1; // softmaxResidual leaves p − onehot(0)
        return z;
    }

    /** The largest cosine between the vector and a group's prototype: how close it is to anything labelled. */
    public double similarity(float[] v) {
        requireDim(v);
        return LinearFit.similarity(v, prototypes, groups.size(), dim);
    }

    private void requireDim(float[] v) {
        if (v == null || v.length != dim) {
            throw new IllegalArgumentException("this classifier takes vectors of " + dim + " dimensions, not "
                    + (v == null ? "null" : String.valueOf(v.length)));
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(groups.size());
        for (String g : groups) {
            out.writeUTF(g);
        }
        out.writeBoolean(multiLabel);
        out.writeInt(features.kind().code);
        out.writeDouble(c);
        out.writeInt(dim);
        writeDoubles(out, features.mean());
        writeDoubles(out, features.inverseSpread());
        writeFloats(out, weights);
        writeFloats(out, intercepts);
        writeFloats(out, prototypes);
    }

    public static LinearModel read(DataInputStream in) throws IOException {
        int k = in.readInt();
        if (k < 1 || k > 1_000_000) {
            throw new IllegalArgumentException("corrupt linear classifier: " + k + " groups");
        }
        String[] groups = new String[k];
        for (int g = 0; g < k; g++) {
            groups[g] = in.readUTF();
        }
        boolean multi = in.readBoolean();
        Features kind = Features.ofCode(in.readInt());
        double c = in.readDouble();
        int dim = in.readInt();
        if (dim < 1 || dim > 65_536) {
            throw new IllegalArgumentException("corrupt linear classifier: dimension " + dim);
        }
        double[] mean = readDoubles(in, kind == Features.STANDARD ? dim : 0);
        double[] spread = readDoubles(in, kind == Features.STANDARD ? dim : 0);
        float[] w = readFloats(in, dim * k);
        float[] b = readFloats(in, k);
        float[] p = readFloats(in, dim * k);
        return new LinearModel(Arrays.asList(groups), multi, new Features.Map(kind, mean, spread), c, dim, w, b, p);
    }

    private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static double[] readDoubles(DataInputStream in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalArgumentException("corrupt linear classifier: " + n + " values where " + expected
                    + " are expected");
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("corrupt linear classifier: a value is " + a[i]);
            }
        }
        return a;
    }

    private static float[] readFloats(DataInputStream in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalArgumentException("corrupt linear classifier: " + n + " values where " + expected
                    + " are expected");
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException("corrupt linear classifier: a value is " + a[i]);
            }
        }
        return a;
    }
}
