package dev.viewfold.groups;

/**
 * How triplets are chosen inside a P×K batch (contrastive loss ignores this: it uses every pair).
 *
 * <ul>
 *   <li>{@link #BATCH_HARD} (Hermans, Beyer &amp; Leibe 2017): per anchor, its farthest positive and
 *       its closest negative in the batch; one triplet per anchor.</li>
 *   <li>{@link #SEMI_HARD} (Schroff, Kalenichenko &amp; Philbin 2015, FaceNet): per anchor–positive
 *       pair, the closest negative that is still farther than the positive; when there is none, the
 *       farthest negative. One triplet per positive pair.</li>
 * </ul>
 */
public enum Mining {
    BATCH_HARD,
    SEMI_HARD
}
