package dev.viewfold.groups;

import java.util.Objects;

/** The head kept by {@link MetricTrainer} (its best validation epoch) and how it was made. */
public record TrainingResult(ProjectionHead head, TrainingReport report) {

    public TrainingResult {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(report, "report");
    }
}
