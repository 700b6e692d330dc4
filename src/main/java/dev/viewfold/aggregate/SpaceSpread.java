package dev.viewfold.aggregate;

import java.util.Locale;
import java.util.Optional;

/**
 * How far the kept views of a space's observations lie from their folds: the median cosine distance
 * of every kept view to its observation's fold over the whole space, and a scale (1.4826 · MAD, a
 * standard deviation for normal data). One observation's eight views say little about what a stray
 * distance is; thousands of observations say it well, and they say it in the space's own units, so
 * rules written in spreads carry from one model, or one kind of subject, to another.
 *
 * @param observations how many folds it was measured over
 */
public record SpaceSpread(double median, double scale, long views, int observations) {

    /** Fewer folds than this and a space's spread is not trusted: the observation's own views decide. */
    public static final int MIN_OBSERVATIONS = 10;

    /** A scale of zero (every view alike) would make any difference infinitely many spreads. */
    private static final double LEAST_SCALE = 1e-4;

    /** {@code median + spreads · scale}. */
    public double above(double spreads) {
        return median + spreads * Math.max(scale, LEAST_SCALE);
    }

    /** A difference of cosines in spreads. */
    public double spreads(double difference) {
        return difference / Math.max(scale, LEAST_SCALE);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f ± %.3f over %d views of %d observations", median, scale, views,
                observations);
    }

    /**
     * Counts distances into a fixed histogram (cosine distance 0 to 2 in steps of 10⁻⁴: 80 KB
     * however many views), so a space of millions of views is measured in one pass and constant memory.
     */
    public static final class Tally {

        private static final int BINS = 20_000;
        private static final double WIDTH = 2.0 / BINS;

        private final long[] counts = new long[BINS];
        private long views;
        private int observations;

        /** Adds one fold's kept views by their agreement (cosine with the fold); folds of fewer than 2 say nothing. */
        public void addFold(float[] keptAgreements) {
            if (keptAgreements.length < 2) {
                return;
            }
            observations++;
            for (float a : keptAgreements) {
                add(1 - a);
            }
        }

        private void add(double distance) {
            int bin = (int) Math.floor(Math.max(0, Math.min(2, distance)) / WIDTH);
            counts[Math.min(bin, BINS - 1)]++;
            views++;
        }

        /** Folds counted so far (those of two views or more). */
        public int observations() {
            return observations;
        }

        /** The spread, once {@link #MIN_OBSERVATIONS} folds were counted. */
        public Optional<SpaceSpread> spread() {
            if (observations < MIN_OBSERVATIONS) {
                return Optional.empty();
            }
            double median = quantile(counts, views, 0.5);
            long[] deviations = new long[BINS];
            for (int b = 0; b < BINS; b++) {
                if (counts[b] > 0) {
                    double d = Math.abs((b + 0.5) * WIDTH - median);
                    deviations[Math.min((int) (d / WIDTH), BINS - 1)] += counts[b];
                }
            }
            return Optional.of(new SpaceSpread(median, 1.4826 * quantile(deviations, views, 0.5), views, observations));
        }

        /** The value below which a share {@code q} of the counted values lie (bin centres). */
        private static double quantile(long[] counts, long total, double q) {
            double target = q * total;
            long seen = 0;
            for (int b = 0; b < counts.length; b++) {
                seen += counts[b];
                if (seen >= target) {
                    return (b + 0.5) * WIDTH;
                }
            }
            return 2;
        }
    }
}
