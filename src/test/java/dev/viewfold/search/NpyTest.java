package dev.viewfold.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    @Test
    void floatsComeBackAsWrittenAndOtherTypesAreRefused(@TempDir Path dir) throws Exception {
        float[][] rows = {{1.5f, -2f, 3e-7f}, {0f, Float.MAX_VALUE, -0.25f}};
        Npy.writeFloats(dir.resolve("a.npy"), rows);
        float[][] back = Npy.readFloats(dir.resolve("a.npy"));
        assertArrayEquals(rows[0], back[0], 0f);
        assertArrayEquals(rows[1], back[1], 0f);
        Npy.writeLongs(dir.resolve("b.npy"), new int[][] {{1, 2}});
        var e = assertThrows(java.io.IOException.class, () -> Npy.readFloats(dir.resolve("b.npy")));
        assertTrue(e.getMessage().contains("expected a C-order float32 array"), e.getMessage());
        assertTrue(Files.size(dir.resolve("b.npy")) == 128 + 16, "header padded to 64-byte alignment");
    }
}
