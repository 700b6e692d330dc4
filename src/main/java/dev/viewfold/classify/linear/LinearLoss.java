package dev.viewfold.classify.linear;

/**
 * The regularised logistic loss of a linear model on a design matrix, as scikit-learn's lbfgs
 * solver states it but divided by the row count: {@code (1/n) Σ loss_i + ‖W‖² / (2 C n)}, the
 * intercepts unpenalised, so a value of C means the same here and there.
 *
 * <p>Parameters are laid out {@code W} (dim × groups, row-major: one feature's weights for every
 * group together, so both hot loops run along contiguous memory) then the groups' intercepts.
 * Single-label data: the multinomial (softmax) cross-entropy. Multi-label data: an independent
 * logistic loss per group (one-versus-rest).
 */
final class LinearLoss implements Lbfgs.Objective {

    private final double[] x;
    private final int n;
    private final int dim;
    private final int groups;
    /** Single-label: each row's group. */
    private final int[] target;
    /** Multi-label: row-major n × groups, 1 where the row carries the group. */
    private final byte[] member;
    private final double lambda;
    private final double[] z;

    /**
     * @param target one group per row (softmax), or null with {@code member} given (one-versus-rest)
     */
    LinearLoss(double[] x, int n, int dim, int groups, int[] target, byte[] member, double c) {
        this.x = x;
        this.n = n;
        this.dim = dim;
        this.groups = groups;
        this.target = target;
        this.member = member;
        this.lambda = 1 / (c * n);
        this.z = new double[groups];
    }

    static int parameterCount(int dim, int groups) {
        return dim * groups + groups;
    }

    @Override
    public double evaluate(double[] theta, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        int bias = dim * groups;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * dim;
            System.arraycopy(theta, bias, z, 0, groups);
            for (int j = 0; j < dim; j++) {
                double xij = x[row + j];
                if (xij != 0) {
                    int w = j * groups;
                    for (int c = 0; c < groups; c++) {
                        z[c] += xij * theta[w + c];
                    }
                }
            }
            loss += target != null ? softmaxResidual(z, target[i]) : logisticResidual(z, i);
            for (int j = 0; j < dim; j++) {
                double xij = x[row + j];
                if (xij != 0) {
                    int w = j * groups;
                    for (int c = 0; c < groups; c++) {
                        grad[w + c] += xij * z[c];
                    }
                }
            }
            for (int c = 0; c < groups; c++) {
                grad[bias + c] += z[c];
            }
        }
        double penalty = 0;
        double inv = 1.0 / n;
        for (int p = 0; p < bias; p++) {
            penalty += theta[p] * theta[p];
            grad[p] = grad[p] * inv + lambda * theta[p];
        }
        for (int c = 0; c < groups; c++) {
            grad[bias + c] *= inv;
        }
        return loss * inv + 0.5 * lambda * penalty;
    }

    /** Cross-entropy of the logits {@code z} for group {@code y}; leaves p − onehot(y) in {@code z}. */
    static double softmaxResidual(double[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        double loss = Math.log(sum) - Math.log(z[y]);
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        z[y] -= 1;
        return loss;
    }

    private double logisticResidual(double[] z, int i) {
        double loss = 0;
        int off = i * groups;
        for (int c = 0; c < groups; c++) {
            double v = z[c];
            double y = member[off + c];
            loss += (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))) - y * v;
            z[c] = sigmoid(v) - y;
        }
        return loss;
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
}
