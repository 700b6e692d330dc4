package dev.viewfold.store;

import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.testing.DynamoDbLocal;
import org.junit.jupiter.api.BeforeEach;

/** The DynamoDB adapter against DynamoDB Local (in memory, loopback, telemetry off). */
class DynamoDbVectorTableTest extends VectorTableContract {

    DynamoDbVectorTable table;

    @BeforeEach
    void freshTables() {
        int n = DynamoDbLocal.nextTableSuffix();
        table = new DynamoDbVectorTable(DynamoDbLocal.client(), "images-" + n, "observations-" + n);
        table.createTablesIfMissing();
        table.createTablesIfMissing(); // a second start must not fail
    }

    @Override
    protected VectorTable table() {
        return table;
    }
}
