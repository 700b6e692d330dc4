package dev.viewfold.classify.linear;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearLossTest {

    /** The analytic gradient against central differences, softmax and one-versus-rest, penalty and intercepts included. */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        int n = 7;
        int dim = 5;
        int k = 3;
        double[] x = new double[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        int[] target = {0, 2, 1, 1, 0, 2, 2};
        byte[] member = new byte[n * k];
        for (int i = 0; i < n; i++) {
            member[i * k + target[i]] = 1;
            member[i * k + (target[i] + 1) % k] = (byte) (i % 2);
        }
        for (LinearLoss loss : new LinearLoss[] {new LinearLoss(x, n, dim, k, target, null, 0.7),
                new LinearLoss(x, n, dim, k, null, member, 0.7)}) {
            double[] theta = new double[LinearLoss.parameterCount(dim, k)];
            for (int p = 0; p < theta.length; p++) {
                theta[p] = 0.3 * rnd.nextGaussian();
            }
            double[] g = new double[theta.length];
            loss.evaluate(theta, g);
            double[] scratch = new double[theta.length];
            for (int p = 0; p < theta.length; p++) {
                double keep = theta[p];
                theta[p] = keep + 1e-6;
                double up = loss.evaluate(theta, scratch);
                theta[p] = keep - 1e-6;
                double down = loss.evaluate(theta, scratch);
                theta[p] = keep;
                assertEquals((up - down) / 2e-6, g[p], 1e-6, "parameter " + p);
            }
        }
    }

    /** L-BFGS reaches the minimum of an ill-conditioned quadratic, where the gradient vanishes. */
    @Test
    void lbfgsFindsTheMinimumOfAQuadratic() {
        double[] scale = {1, 10, 100, 1000};
        double[] centre = {3, -2, 0.5, 7};
        Lbfgs.Objective f = (v, g) -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                double d = v[i] - centre[i];
                s += 0.5 * scale[i] * d * d;
                g[i] = scale[i] * d;
            }
            return s;
        };
        double[] v = new double[4];
        Lbfgs.Result r = Lbfgs.minimise(f, v, 200, 1e-6);
        assertTrue(r.iterations() < 100, r.iterations() + " iterations");
        for (int i = 0; i < 4; i++) {
            assertEquals(centre[i], v[i], 1e-4);
        }
    }
}
