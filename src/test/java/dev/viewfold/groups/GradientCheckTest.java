package dev.viewfold.groups;

import dev.viewfold.math.Rng;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written backward pass (through the loss, the L2 normalisation, the layers and the ReLU)
 * against central finite differences of the loss, parameter by parameter, on a tiny batch.
 *
 * <p>The losses are piecewise smooth: a hinge, the mined triplet and a ReLU can switch inside the
 * finite-difference step. Such kinks are detected (the left and right one-sided slopes disagree)
 * and skipped; they must stay rare, and every other parameter must match.
 */
class GradientCheckTest {

    private static final int IN = 7;
    private static final int HIDDEN = 10;
    private static final int OUT = 5;
    private static final int N = 9;
    private static final double STEP = 1e-3;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (HeadKind head : HeadKind.values()) {
            cases.add(Arguments.of(head, LossKind.TRIPLET, Mining.BATCH_HARD, 0.5f));
            cases.add(Arguments.of(head, LossKind.TRIPLET, Mining.SEMI_HARD, 0.5f));
            // A wide margin so that most negative pairs are inside it and so contribute.
            cases.add(Arguments.of(head, LossKind.CONTRASTIVE, Mining.SEMI_HARD, 1.2f));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(HeadKind head, LossKind loss, Mining mining, float margin) {
        Rng rng = new Rng(11);
        float[][] xs = new float[N][IN];
        long[][] bits = new long[N][1];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < IN; k++) {
                xs[i][k] = (float) rng.nextGaussian();
            }
            bits[i][0] = 1L << (i % 3);
        }
        bits[N - 1][0] |= 1L << 1; // one item in two groups
        int hidden = head == HeadKind.LINEAR ? 0 : HIDDEN;
        float[] p = new float[(int) ProjectionHead.parameterCount(head, IN, hidden, OUT)];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.5 * rng.nextGaussian());
        }
        HeadNetwork net = new HeadNetwork(head, IN, HIDDEN, OUT, p, N);
        TrainingStep step = new TrainingStep(net, new BatchLoss(loss, mining, margin), N);
        int[] items = new int[N];
        for (int i = 0; i < N; i++) {
            items[i] = i;
        }
        net.zeroGrads();
        double base = step.run(xs, bits, items, N, true);
        assertTrue(step.loss.active > 0, "the tiny case must have active terms");
        float[] analytic = net.grads.clone();

        int kinks = 0;
        int checked = 0;
        double worst = 0;
        String worstAt = "";
        for (int i = 0; i < p.length; i++) {
            float old = p[i];
            p[i] = (float) (old + STEP);
            double plus = step.run(xs, bits, items, N, false);
            p[i] = (float) (old - STEP);
            double minus = step.run(xs, bits, items, N, false);
            p[i] = old;
            double right = (plus - base) / STEP;
            double left = (base - minus) / STEP;
            if (Math.abs(right - left) > 0.05 * Math.max(1, Math.abs(right) + Math.abs(left))) {
                kinks++;
                continue;
            }
            checked++;
            double numeric = (plus - minus) / (2 * STEP);
            double error = Math.abs(numeric - analytic[i]) / Math.max(0.05, Math.abs(numeric) + Math.abs(analytic[i]));
            if (error > worst) {
                worst = error;
                worstAt = "parameter " + i + ": analytic " + analytic[i] + ", numeric " + numeric;
            }
        }
        assertTrue(kinks <= p.length / 10, kinks + " of " + p.length + " parameters sit on a kink");
        assertTrue(worst < 0.01, "worst relative error " + worst + " at " + worstAt + " (" + checked + " checked)");
    }
}
