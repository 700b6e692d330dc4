package dev.viewfold.classify;

import java.util.List;

/**
 * A query's classification.
 *
 * @param scores every known group's score, best first (equal scores by group name)
 * @param groups the groups whose score passes their threshold, best first: possibly several (an item
 *     may belong to several groups), possibly none
 * @param none true when no group passes: the query looks like none of the known groups
 */
public record Classification(List<GroupScore> scores, List<String> groups, boolean none) {

    public Classification {
        scores = List.copyOf(scores);
        groups = List.copyOf(groups);
    }

    /** The best-scoring group, whether or not it passed its threshold; null when there are no groups. */
    public String top() {
        return scores.isEmpty() ? null : scores.get(0).group();
    }
}
