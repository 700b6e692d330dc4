package dev.viewfold.cluster.umap;

/**
 * The a, b of the embedding similarity 1 / (1 + a·d^(2b)), fitted (least squares,
 * Levenberg–Marquardt) to the curve that is 1 up to {@code minDist} and then decays as
 * exp(−(d − minDist) / spread), on 300 points of [0, 3·spread], as umap-learn's find_ab_params.
 */
record CurveFit(double a, double b) {

    static CurveFit of(double spread, double minDist) {
        int n = 300;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 3 * spread * i / (n - 1);
            y[i] = x[i] < minDist ? 1 : Math.exp(-(x[i] - minDist) / spread);
        }
        double a = 1;
        double b = 1;
        double lambda = 1e-3;
        double cost = cost(x, y, a, b);
        for (int it = 0; it < 500; it++) {
            double jaa = 0;
            double jab = 0;
            double jbb = 0;
            double ga = 0;
            double gb = 0;
            for (int i = 0; i < n; i++) {
                if (x[i] <= 0) {
                    continue; // the model is 1 at 0 whatever a, b
                }
                double u = Math.pow(x[i], 2 * b);
                double den = 1 + a * u;
                double f = 1 / den;
                double r = f - y[i];
                double da = -u / (den * den);
                double db = -a * u * 2 * Math.log(x[i]) / (den * den);
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double maa = jaa * (1 + lambda);
                double mbb = jbb * (1 + lambda);
                double det = maa * mbb - jab * jab;
                double stepA = -(mbb * ga - jab * gb) / det;
                double stepB = -(maa * gb - jab * ga) / det;
                double na = a + stepA;
                double nb = b + stepB;
                double c = na > 0 && nb > 0 ? cost(x, y, na, nb) : Double.POSITIVE_INFINITY;
                if (c < cost) {
                    boolean done = Math.abs(cost - c) < 1e-15 * Math.max(1, cost);
                    a = na;
                    b = nb;
                    cost = c;
                    lambda = Math.max(lambda / 10, 1e-12);
                    improved = !done;
                    break;
                }
                lambda *= 10;
            }
            if (!improved) {
                break;
            }
        }
        return new CurveFit(a, b);
    }

    private static double cost(double[] x, double[] y, double a, double b) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double f = x[i] <= 0 ? 1 : 1 / (1 + a * Math.pow(x[i], 2 * b));
            double r = f - y[i];
            s += r * r;
        }
        return s;
    }
}
