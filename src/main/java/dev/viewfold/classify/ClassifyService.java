package dev.viewfold.classify;

import dev.viewfold.errors.Refused;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.SearchService;
import dev.viewfold.search.SearchServices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The classify use case: turns a query (images, a stored row, a vector) into a vector of the space,
 * as search does, and places it among the space's labelled groups with that space's calibrated
 * classifier.
 */
public final class ClassifyService {

    /** One group's score and the threshold calibrated for it. */
    public record Score(String group, float score, float threshold, boolean member) {
    }

    /**
     * @param observation     the stored observation the query came from, or null
     * @param groups          the groups whose score passed their threshold (possibly several)
     * @param none            no group is close enough
     * @param knownGroups     how many groups the space has
     * @param heldOutAccuracy top-1 accuracy of this classifier on the held-out observations that set the
     *                        thresholds; null when every group has a single observation, so none could be held
     *                        out (a group's threshold is then halfway between the best score another
     *                        group's observation gets and 1)
     */
    public record Answer(String space, String method, String observation, List<String> groups, boolean none,
                         List<Score> scores, int knownGroups, Double heldOutAccuracy, double millis) {
    }

    private final SearchServices services;
    private final GroupClassifiers classifiers;

    public ClassifyService(SearchServices services, GroupClassifiers classifiers) {
        this.services = services;
        this.classifiers = classifiers;
    }

    /**
     * @param space    the space to classify in (null: the model's)
     * @param strategy how several query images are folded (null: the deployment's)
     * @param top      scores to return at most; the member groups always come back
     * @throws Refused for an unknown space or a bad query (as search refuses them), and (conflict) when the
     *     space has no labelled observations
     */
    public Answer classify(String space, SearchQuery.Source source, String strategy, ClassifierKind kind, int top) {
        long started = System.nanoTime();
        if (top < 1 || top > 1000) {
            throw Refused.invalid("top must be between 1 and 1000 (got " + top + ")");
        }
        SearchService service = services.of(space);
        SearchService.Resolved query = service.vectorOf(source, strategy);
        CalibratedClassifier classifier = classifiers.of(service.space(), kind);
        Classification c = classifier.classify(query.vector());
        List<Score> scores = new ArrayList<>();
        for (GroupScore s : c.scores()) {
            boolean member = c.groups().contains(s.group());
            if (scores.size() < top || member) {
                scores.add(new Score(s.group(), s.score(), classifier.thresholds().of(s.group()), member));
            }
        }
        return new Answer(service.space(), kind.name().toLowerCase(Locale.ROOT), query.observation(), c.groups(),
                c.none(), scores, c.scores().size(),
                Double.isNaN(classifier.heldOutAccuracy()) ? null : classifier.heldOutAccuracy(),
                (System.nanoTime() - started) / 1e6);
    }
}
