package dev.viewfold.cluster.umap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #6: trustworthiness (k = 15) within 0.01 of umap-learn's on the same data. */
class UmapTrustworthinessTest {

    @Test
    void fashionMnistAsTrustworthyAsUmapLearn() throws IOException {
        double reference = reference("fashion_mnist.2000.trustworthiness");
        float[][] x = FashionMnist.images(2000);
        float[][] y = new Umap(Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withSeed(42)).fit(x);
        double ours = Trustworthiness.of(x, y, 15, Metric.EUCLIDEAN, 2);
        assertTrue(ours >= reference - 0.01, "trustworthiness " + ours + ", umap-learn " + reference);
    }

    @Test
    void fashionMnistThroughPcaStillTrustworthy() throws IOException {
        double reference = reference("fashion_mnist.2000.trustworthiness");
        float[][] x = FashionMnist.images(2000);
        float[][] y = new Umap(Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withPcaComponents(50)
                .withSeed(42)).fit(x);
        double ours = Trustworthiness.of(x, y, 15, Metric.EUCLIDEAN, 2);
        assertTrue(ours >= reference - 0.01, "trustworthiness " + ours + ", umap-learn " + reference);
    }

    static double reference(String key) throws IOException {
        Properties p = new Properties();
        try (InputStream in = UmapTrustworthinessTest.class.getResourceAsStream("/cluster/umap/reference.properties")) {
            p.load(in);
        }
        return Double.parseDouble(p.getProperty(key));
    }
}
