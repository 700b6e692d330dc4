package dev.viewfold.groups;

import java.util.List;
import java.util.Objects;

/**
 * How a head was trained and how it does on groups it never saw.
 *
 * @param trainGroups groups trained on, sorted
 * @param validationGroups groups held out, sorted
 * @param curve one point per epoch run, epoch 0 (the initial head) first
 * @param bestEpoch the epoch whose head was kept (best validation MAP@R; 0 = the initial head)
 * @param rawValidation retrieval on the validation items with the raw embeddings
 * @param headValidation the same through the kept head. Early stopping chose the epoch on these very
 *     items, so this is slightly optimistic
 * @param warning null, or a sentence when the head retrieves the unseen validation groups worse than
 *     the raw embeddings by more than 1 MAP@R point
 */
public record TrainingReport(TrainingSettings settings, List<String> trainGroups, List<String> validationGroups,
        List<EpochReport> curve, int bestEpoch, RetrievalScores rawValidation, RetrievalScores headValidation,
        String warning) {

    public TrainingReport {
        Objects.requireNonNull(settings, "settings");
        trainGroups = List.copyOf(trainGroups);
        validationGroups = List.copyOf(validationGroups);
        curve = List.copyOf(curve);
        Objects.requireNonNull(rawValidation, "rawValidation");
        Objects.requireNonNull(headValidation, "headValidation");
    }
}
