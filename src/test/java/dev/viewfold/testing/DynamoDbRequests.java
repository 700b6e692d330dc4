package dev.viewfold.testing;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a DynamoDB client's requests by operation, and keeps what its writes sent: the items of
 * {@code PutItem} and {@code BatchWriteItem} puts, the keys of {@code UpdateItem}s (what an update
 * leaves is read back by whoever needs its size). Every write asks for its consumed capacity, which
 * DynamoDB Local meters by item size for the table and each index; the sums are kept per table.
 */
public final class DynamoDbRequests implements ExecutionInterceptor {

    /** One write as sent: a whole item (a put), or the key of an updated item. */
    public record Write(String operation, String table, Map<String, AttributeValue> item) {
    }

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final List<Write> writes = new ArrayList<>();

    private final Map<String, Double> writeUnits = new ConcurrentHashMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(indexes).build();
        }
        if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(indexes).build();
        }
        if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(indexes).build();
        }
        if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(indexes).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder())
                .increment();
        SdkRequest r = context.request();
        synchronized (writes) {
            if (r instanceof PutItemRequest p) {
                writes.add(new Write("PutItem", p.tableName(), p.item()));
            } else if (r instanceof UpdateItemRequest u) {
                writes.add(new Write("UpdateItem", u.tableName(), u.key()));
            } else if (r instanceof BatchWriteItemRequest b) {
                // what was sent, unprocessed items included: tests that read this do not throttle
                b.requestItems().forEach((table, list) -> list.stream().filter(w -> w.putRequest() != null)
                        .forEach(w -> writes.add(new Write("BatchWriteItem", table, w.putRequest().item()))));
            }
        }
        SdkResponse response = context.response();
        if (response instanceof PutItemResponse p) {
            meter(List.of(p.consumedCapacity()));
        } else if (response instanceof UpdateItemResponse u) {
            meter(List.of(u.consumedCapacity()));
        } else if (response instanceof DeleteItemResponse d) {
            meter(List.of(d.consumedCapacity()));
        } else if (response instanceof BatchWriteItemResponse b && b.hasConsumedCapacity()) {
            meter(b.consumedCapacity());
        }
    }

    /** A conditional write that fails is billed too but throws: not seen here. */
    private void meter(List<ConsumedCapacity> consumed) {
        for (ConsumedCapacity c : consumed) {
            if (c != null && c.capacityUnits() != null) {
                writeUnits.merge(c.tableName(), c.capacityUnits(), Double::sum);
            }
        }
    }

    /** Write units DynamoDB Local reported for a table's writes so far, its indexes' included. */
    public double writeUnits(String table) {
        return writeUnits.getOrDefault(table, 0.0);
    }

    /** Requests so far, by operation ({@code Query}, {@code BatchGetItem}, ...), sorted. */
    public Map<String, Long> requests() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((op, n) -> out.put(op, n.sum()));
        return out;
    }

    public long total() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The writes so far, in the order they completed. */
    public List<Write> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    public void reset() {
        requests.clear();
        writeUnits.clear();
        synchronized (writes) {
            writes.clear();
        }
    }
}
