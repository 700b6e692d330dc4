package dev.viewfold.groups;

/**
 * One point of the training curve. Epoch 0 is the initial head, before any step.
 *
 * @param trainLoss mean batch loss over the epoch (for epoch 0, over one epoch of batches with no step)
 * @param activeFraction share of the epoch's triplets (or pairs) with a nonzero loss: how much of the
 *     batch still teaches something
 * @param validationMapAtR MAP@R on the validation groups' items, projected by the head after the epoch
 * @param validationRecallAt1 Recall@1 on the same
 */
public record EpochReport(int epoch, double trainLoss, double activeFraction, double validationMapAtR,
        double validationRecallAt1) {
}
