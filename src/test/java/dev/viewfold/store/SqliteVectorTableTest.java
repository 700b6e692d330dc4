package dev.viewfold.store;

import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteVectorTableTest extends VectorTableContract {

    @TempDir
    Path data;

    SqliteVectorTable table;

    @BeforeEach
    void open() {
        table = new SqliteVectorTable(data.resolve("nested"));
    }

    @AfterEach
    void close() {
        table.close();
    }

    @Override
    protected VectorTable table() {
        return table;
    }

    @Test
    void rowsSurviveClosingAndReopeningTheFile() {
        table.putImage(ImageRow.ok("a", "m@1", "o", "v", "h", new float[] {1, 2, 3}, T0));
        table.close();
        assertTrue(Files.isRegularFile(data.resolve("nested").resolve(SqliteVectorTable.FILE_NAME)));
        table = new SqliteVectorTable(data.resolve("nested"));
        assertEquals(3, table.findImage("m@1", "a").orElseThrow().vector().length);
        assertEquals(java.util.List.of("m@1"), table.spaces());
    }
}
