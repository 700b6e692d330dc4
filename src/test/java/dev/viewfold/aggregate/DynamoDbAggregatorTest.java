package dev.viewfold.aggregate;

import dev.viewfold.store.VectorTable;
import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.testing.DynamoDbLocal;
import org.junit.jupiter.api.BeforeEach;

/** The aggregate use case on DynamoDB Local: the version check is a conditional update there. */
class DynamoDbAggregatorTest extends AggregatorContract {

    DynamoDbVectorTable table;

    @BeforeEach
    void freshTables() {
        int n = DynamoDbLocal.nextTableSuffix();
        table = new DynamoDbVectorTable(DynamoDbLocal.client(), "agg-images-" + n, "agg-observations-" + n);
        table.createTablesIfMissing();
    }

    @Override
    protected VectorTable table() {
        return table;
    }
}
