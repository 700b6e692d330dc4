package dev.viewfold.classify;

import dev.viewfold.classify.linear.Features;
import dev.viewfold.classify.linear.LinearFit;

/**
 * How linear classifiers are made.
 *
 * @param fit         features, the C grid, folds, seed, solver limits
 * @param rejectShare at most this share of known groups' photos (out of fold) is answered "none"
 * @param similarity  whether being less like every group prototype than any known photo was also rejects
 */
public record LinearSettings(LinearFit.Settings fit, double rejectShare, boolean similarity) {

    public LinearSettings {
        if (!(rejectShare >= 0 && rejectShare < 1)) {
            throw new IllegalArgumentException("the rejected share must be in [0, 1), not " + rejectShare);
        }
    }

    /** The defaults chosen in GroupsBench's sweep (src/bench/RESULTS.md). */
    public static LinearSettings defaults(long seed) {
        return new LinearSettings(new LinearFit.Settings(Features.STANDARD, LinearFit.Settings.logGrid(-4, 4, 10), 5,
                seed, 300, 1e-5), 0.02, true);
    }

    public LinearSettings withFit(LinearFit.Settings f) {
        return new LinearSettings(f, rejectShare, similarity);
    }

    public LinearSettings withRejectShare(double share) {
        return new LinearSettings(fit, share, similarity);
    }

    public LinearSettings withSimilarity(boolean on) {
        return new LinearSettings(fit, rejectShare, on);
    }
}
