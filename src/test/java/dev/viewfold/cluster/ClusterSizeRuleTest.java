package dev.viewfold.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster sizes that follow the collection, the warnings a run gives, and map colours that keep neighbours apart. */
class ClusterSizeRuleTest {

    @Test
    void theClusterSizeFollowsTheCollectionUnlessOneIsSet() {
        assertEquals(5, ClusterSettings.minClusterSizeFor(80), "80 observations hold groups of ten, not thirty");
        assertEquals(42, ClusterSettings.minClusterSizeFor(7_200));
        assertEquals(100, ClusterSettings.minClusterSizeFor(1_000_000));
        assertEquals(2, ClusterSettings.minClusterSizeFor(7), "never more than a third of a tiny collection");
        ClusterSettings auto = ClusterSettings.defaults().forCollection(80);
        assertEquals(5, auto.minClusterSize());
        assertEquals(5, auto.minSamples());
        assertEquals(30, ClusterSettings.defaults().forCollection(1_000_000).minSamples(), "the core neighbourhood stops at 30");
        ClusterSettings set = ClusterSettings.defaults().withMinClusterSize(12).forCollection(1_000_000);
        assertEquals(12, set.minClusterSize());
        assertEquals(12, set.minSamples());
        assertEquals(7, ClusterSettings.defaults().withMinSamples(7).forCollection(10_000).minSamples());
    }

    @Test
    void aSampleIsCutLikeTheWholeButNeverIntoFragments() {
        ClusterSettings rule = ClusterSettings.defaults();
        // A half sample: the whole's 100 scaled to 50, the floor (25 for 50,000) does not bind.
        assertEquals(50, SampleFit.scaled(rule.forCollection(100_000), 50_000, 100_000).minClusterSize());
        assertEquals(20, SampleFit.scaled(rule.forCollection(100_000), 20_000, 100_000).minClusterSize());
        // A 5% sample of a million: scaled, 100 would give 5, which fragmented (RESULTS); the floor gives 25.
        ClusterSettings million = SampleFit.scaled(rule.forCollection(1_000_000), 50_000, 1_000_000);
        assertEquals(25, million.minClusterSize());
        assertEquals(25, million.minSamples());
        assertEquals(50, SampleFit.floor(rule, 50_000, 1_000_000), "each previous cluster keeps twice that in the sample");
        // A size the user set is scaled the same way: 1,000 in a million is 50 in the sample.
        assertEquals(50, SampleFit.scaled(rule.withMinClusterSize(1_000).forCollection(1_000_000), 50_000, 1_000_000)
                .minClusterSize());
    }

    @Test
    void aSettingThatIsALargeShareOfTheCollectionIsReportedWithWhatToChange() {
        ClusterSettings thirty = ClusterSettings.defaults().withMinClusterSize(30).withMinSamples(30).forCollection(80);
        List<String> warnings = RunWarnings.of(thirty, true, 80, 50);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("min-cluster-size 30 is 38% of the 80 observations")
                && w.contains("viewfold.cluster.min-cluster-size")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("63% of the observations are noise")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("neighbours 15 is 19% of the 80")) == false,
                "15 of 80 is under a quarter: " + warnings);
        assertEquals(List.of(), RunWarnings.of(ClusterSettings.defaults().forCollection(7_200), false, 7_200, 100),
                "the rule on a collection of thousands: nothing to say");
    }

    @Test
    void clustersNextToEachOtherOnTheMapNeverShareAColour() {
        // A 6 × 6 grid of tight clusters: 36 clusters, more than the palette's 20 colours.
        List<MapPoint> points = new ArrayList<>();
        Random r = new Random(5);
        for (int c = 0; c < 36; c++) {
            for (int i = 0; i < 20; i++) {
                points.add(new MapPoint("o" + c + "-" + i, (float) (c % 6 * 10 + r.nextGaussian()),
                        (float) (c / 6 * 10 + r.nextGaussian()), "c" + (c + 1), 1, 0, null));
            }
        }
        Map<String, String> colours = MapColours.of(points);
        assertEquals(36, colours.size());
        for (int c = 0; c < 36; c++) {
            for (int o = 0; o < 36; o++) {
                boolean touching = c != o && Math.abs(c % 6 - o % 6) <= 1 && Math.abs(c / 6 - o / 6) <= 1;
                if (touching) {
                    assertNotEquals(colours.get("c" + (c + 1)), colours.get("c" + (o + 1)), "c" + (c + 1) + " and c" + (o + 1));
                }
            }
        }
        assertEquals(colours, MapColours.of(points), "the same map, the same colours");
    }
}
