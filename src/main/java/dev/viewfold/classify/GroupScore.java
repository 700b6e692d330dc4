package dev.viewfold.classify;

import java.util.Objects;

/** A group and the score a query got for it (higher is more likely). */
public record GroupScore(String group, float score) {

    public GroupScore {
        Objects.requireNonNull(group, "group");
    }
}
