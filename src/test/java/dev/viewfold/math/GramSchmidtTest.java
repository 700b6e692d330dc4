package dev.viewfold.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GramSchmidtTest {

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void columnsComeOutOrthonormalAndADependentOneIsRefilledOrZeroed() {
        double[][] cols = {{3, 0, 0, 0}, {1, 2, 0, 0}, {2, 4, 0, 0}, {0, 1, 1, 1}};
        double[][] zeroed = {cols[0].clone(), cols[1].clone(), cols[2].clone(), cols[3].clone()};
        GramSchmidt.orthonormalise(cols, new Rng(5));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1 : 0, dot(cols[i], cols[j]), 1e-12, i + "·" + j);
            }
        }
        GramSchmidt.orthonormalise(zeroed, null);
        assertEquals(0, dot(zeroed[2], zeroed[2]), 1e-24, "the third lies in the span of the first two: zero");
        assertEquals(1, dot(zeroed[3], zeroed[3]), 1e-12);
        assertEquals(0, dot(zeroed[3], zeroed[1]), 1e-12);
    }
}
