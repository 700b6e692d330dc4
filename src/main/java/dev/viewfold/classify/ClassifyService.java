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

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** One group's score and the threshold calibrated for it. */
    public record Score(String group, float score, float threshold, boolean member) {
    }

    /**
     * @param method          the classifier that answered ({@code auto} names the one it chose)
     * @param observation     the stored observation the query came from, or null
     * @param groups          the groups answered (several only where labelled observations carry several)
     * @param none            no group is close enough
     * @param knownGroups     how many groups the space has
     * @param heldOutAccuracy share of held-out labelled observations whose best-scoring group is theirs, from
     *                        a classifier (and a head, in a head's space) never fitted on them; null when every
     *                        group has a single observation, so none could be held out (a prototype threshold is
     *                        then halfway between the best score another group's observation gets and 1)
     * @param heldOutCorrect  share of them answered with their group, "none" counted wrong; null as above
     * @param heldOutNone     share of them answered "none"; null as above
     */
    public record Answer(String space, String method, String observation, List<String> groups, boolean none,
                         List<Score> scores, int knownGroups, Double heldOutAccuracy, Double heldOutCorrect,
                         Double heldOutNone, double millis) {
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
        FittedClassifier classifier = classifiers.of(service.space(), kind);
        Classification c = classifier.classify(query.vector());
        List<Score> scores = new ArrayList<>();
        for (GroupScore s : c.scores()) {
            boolean member = c.groups().contains(s.group());
            if (scores.size() < top || member) {
                scores.add(new Score(s.group(), s.score(), classifier.threshold(s.group()), member));
            }
        }
        HeldOutCheck h = classifier.heldOut();
        return new Answer(service.space(), classifier.kind().name().toLowerCase(Locale.ROOT), query.observation(),
                c.groups(), c.none(), scores, c.scores().size(), orNull(h.topAccuracy()), orNull(h.accuracy()),
                orNull(h.none()),
                (System.nanoTime() - started) / 1e6);
    }
}
