package dev.viewfold.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Labelled test data made up on the spot, seeded. */
public final class Synthetic {

    private Synthetic() {
    }

    /**
     * Groups that differ only along {@code signalDims} directions, drowned by {@code nuisanceDims}
     * shared nuisance factors of much larger variance (think lighting, background) plus a little
     * isotropic noise; the directions are random rotations of the space, so no coordinate gives
     * anything away. Raw cosine mostly measures the nuisance; a head that learns to drop it
     * retrieves groups, and since every group lives in the same signal directions, that carries over
     * to groups it never saw.
     */
    public static List<Labelled> drowned(int dim, int groups, int perGroup, int signalDims, int nuisanceDims, long seed) {
        Random rnd = new Random(seed);
        float[][] basis = orthonormal(dim, signalDims + nuisanceDims, rnd);
        List<Labelled> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            double[] centre = new double[signalDims];
            double norm = 0;
            for (int s = 0; s < signalDims; s++) {
                centre[s] = rnd.nextGaussian();
                norm += centre[s] * centre[s];
            }
            for (int s = 0; s < signalDims; s++) {
                centre[s] /= Math.sqrt(norm);
            }
            for (int i = 0; i < perGroup; i++) {
                float[] v = new float[dim];
                for (int s = 0; s < signalDims; s++) {
                    add(v, basis[s], centre[s] + 0.15 * rnd.nextGaussian());
                }
                for (int s = 0; s < nuisanceDims; s++) {
                    add(v, basis[signalDims + s], 1.5 * rnd.nextGaussian());
                }
                for (int k = 0; k < dim; k++) {
                    v[k] += (float) (0.05 * rnd.nextGaussian());
                }
                out.add(Labelled.of(String.format("g%02d-%02d", g, i), unit(v), String.format("g%02d", g)));
            }
        }
        return out;
    }

    /** Tight, well separated clusters around random unit centres ({@link #centres}): one group each. */
    public static List<Labelled> separated(int dim, int groups, int perGroup, double spread, long seed) {
        float[][] centres = centres(dim, groups, seed);
        Random rnd = new Random(seed + 1);
        List<Labelled> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < perGroup; i++) {
                out.add(Labelled.of(String.format("g%02d-%02d", g, i), around(centres[g], spread, rnd),
                        String.format("g%02d", g)));
            }
        }
        return out;
    }

    /** The centres {@link #separated} uses for the same arguments. */
    public static float[][] centres(int dim, int groups, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = new float[groups][];
        for (int g = 0; g < groups; g++) {
            centres[g] = unit(gaussian(dim, rnd));
        }
        return centres;
    }

    public static float[] around(float[] centre, double spread, Random rnd) {
        float[] v = centre.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] += (float) (spread * rnd.nextGaussian());
        }
        return unit(v);
    }

    public static float[] gaussian(int dim, Random rnd) {
        float[] v = new float[dim];
        for (int k = 0; k < dim; k++) {
            v[k] = (float) rnd.nextGaussian();
        }
        return v;
    }

    public static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int k = 0; k < v.length; k++) {
            v[k] *= inv;
        }
        return v;
    }

    private static void add(float[] v, float[] direction, double amount) {
        for (int k = 0; k < v.length; k++) {
            v[k] += (float) (amount * direction[k]);
        }
    }

    /** {@code count} random orthonormal directions in {@code dim} dimensions. */
    public static float[][] orthonormal(int dim, int count, Random rnd) {
        double[][] b = new double[count][dim];
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < dim; k++) {
                b[j][k] = rnd.nextGaussian();
            }
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int k = 0; k < dim; k++) {
                    dot += b[i][k] * b[j][k];
                }
                for (int k = 0; k < dim; k++) {
                    b[j][k] -= dot * b[i][k];
                }
            }
            double n = 0;
            for (int k = 0; k < dim; k++) {
                n += b[j][k] * b[j][k];
            }
            for (int k = 0; k < dim; k++) {
                b[j][k] /= Math.sqrt(n);
            }
        }
        float[][] out = new float[count][dim];
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < dim; k++) {
                out[j][k] = (float) b[j][k];
            }
        }
        return out;
    }
}
