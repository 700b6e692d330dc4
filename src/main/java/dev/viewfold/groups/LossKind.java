package dev.viewfold.groups;

/**
 * The metric-learning loss, on cosine distance {@code d = 1 − cos} between unit outputs.
 *
 * <ul>
 *   <li>{@link #TRIPLET}: {@code max(0, d(a,p) − d(a,n) + margin)} over triplets chosen by {@link Mining}.</li>
 *   <li>{@link #CONTRASTIVE}: over every pair in the batch, positives pulled to distance 0
 *       ({@code d}) and negatives pushed beyond the margin ({@code max(0, margin − d)}).</li>
 * </ul>
 */
public enum LossKind {
    TRIPLET,
    CONTRASTIVE
}
