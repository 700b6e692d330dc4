package dev.viewfold.cluster.hdbscan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Points and R {@code dbscan::hdbscan} outputs from {@code src/test/resources/cluster/hdbscan}. */
record ReferenceFixture(String name, int minPts, float[][] points, int[] labels, double[] prob, double[] outlier) {

    private static final String DIR = "/cluster/hdbscan/";

    static List<ReferenceFixture> all() {
        List<ReferenceFixture> fixtures = new ArrayList<>();
        List<String[]> index = rows("fixtures.csv");
        for (String[] row : index.subList(1, index.size())) {
            fixtures.add(load(unquote(row[0]), Integer.parseInt(row[1])));
        }
        return fixtures;
    }

    static ReferenceFixture load(String name, int minPts) {
        List<String[]> rows = rows(name + ".csv");
        String[] header = rows.get(0);
        int dim = header.length - 3;
        int n = rows.size() - 1;
        float[][] points = new float[n][dim];
        int[] labels = new int[n];
        double[] prob = new double[n];
        double[] outlier = new double[n];
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i + 1);
            for (int d = 0; d < dim; d++) {
                points[i][d] = Float.parseFloat(r[d]);
            }
            labels[i] = Integer.parseInt(r[dim]);
            prob[i] = Double.parseDouble(r[dim + 1]);
            outlier[i] = Double.parseDouble(r[dim + 2]);
        }
        return new ReferenceFixture(name, minPts, points, labels, prob, outlier);
    }

    @Override
    public String toString() {
        return name + " (minPts " + minPts + ", n " + points.length + ")";
    }

    private static List<String[]> rows(String file) {
        try (InputStream in = ReferenceFixture.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIR + file);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
