package dev.viewfold.store;

import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.store.dynamodb.VectorFormat;
import dev.viewfold.testing.DynamoDbLocal;
import org.junit.jupiter.api.BeforeEach;

/** The DynamoDB adapter configured for exact vectors ({@code viewfold.aws.table-vectors=float32}): bit for bit. */
class DynamoDbFloat32VectorTableTest extends VectorTableContract {

    DynamoDbVectorTable table;

    @BeforeEach
    void freshTables() {
        int n = DynamoDbLocal.nextTableSuffix();
        table = new DynamoDbVectorTable(DynamoDbLocal.client(), "images32-" + n, "observations32-" + n,
                VectorFormat.FLOAT32);
        table.createTablesIfMissing();
    }

    @Override
    protected VectorTable table() {
        return table;
    }
}
