package dev.viewfold.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CholeskyTest {

    @Test
    void solvesAndRefusesAnIndefiniteMatrix() {
        double[] x = Cholesky.solve(new double[][] {{4, 2}, {2, 3}}, new double[] {2, 5});
        assertArrayEquals(new double[] {-0.5, 2}, x, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cholesky.solve(new double[][] {{1, 2}, {2, 1}}, new double[] {1, 1}));
        assertEquals("matrix is not positive definite at row 1", e.getMessage());
    }

    @Test
    void lowerInverseTimesTheFactorIsTheIdentity() {
        double[][] a = {{4, 2, 0.4}, {2, 3, -1}, {0.4, -1, 5}};
        double[][] l = Cholesky.lower(a);
        double[][] inv = Cholesky.lowerInverse(l);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    s += l[i][k] * l[j][k]; // (L·Lᵀ)ij
                }
                assertEquals(a[i][j], s, 1e-12, "L·Lᵀ at " + i + "," + j);
                double p = 0;
                for (int k = j; k <= i; k++) {
                    p += inv[i][k] * l[k][j]; // (L⁻¹·L)ij, both lower
                }
                assertEquals(i == j ? 1 : 0, i >= j ? p : 0, 1e-12, "L⁻¹·L at " + i + "," + j);
            }
        }
    }
}
