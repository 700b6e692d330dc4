package dev.viewfold.cluster.umap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UmapDeterminismTest {

    private static float[][] x;

    @BeforeAll
    static void load() {
        x = FashionMnist.images(2000);
    }

    /** 2,000 × 784 takes the NN-descent path (n²·d above the exact-search budget). */
    private static final Umap.Params P = Umap.Params.defaults().withNEpochs(60).withMetric(Metric.EUCLIDEAN);

    @Test
    void sameSeedSameOutputWhateverTheThreads() {
        float[][] a = new Umap(P.withSeed(5).withThreads(2)).fit(x);
        float[][] b = new Umap(P.withSeed(5).withThreads(1)).fit(x);
        assertArrayEquals(a, b);
    }

    @Test
    void sameSeedSameOutputWithPca() {
        Umap.Params p = P.withPcaComponents(40).withMetric(Metric.COSINE).withSeed(9).withThreads(2);
        assertArrayEquals(new Umap(p).fit(x), new Umap(p).fit(x));
    }

    @Test
    void otherSeedOtherOutput() {
        float[][] a = new Umap(P.withSeed(5)).fit(x);
        float[][] b = new Umap(P.withSeed(6)).fit(x);
        assertFalse(java.util.Arrays.deepEquals(a, b));
    }
}
