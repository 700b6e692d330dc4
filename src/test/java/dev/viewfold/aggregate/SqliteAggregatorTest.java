package dev.viewfold.aggregate;

import dev.viewfold.store.VectorTable;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteAggregatorTest extends AggregatorContract {

    @TempDir
    Path data;

    SqliteVectorTable table;

    @BeforeEach
    void open() {
        table = new SqliteVectorTable(data);
    }

    @AfterEach
    void close() {
        table.close();
    }

    @Override
    protected VectorTable table() {
        return table;
    }
}
