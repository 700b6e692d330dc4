package dev.viewfold.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * What DynamoDB bills an item at: the sum of its attribute names and values, as
 * "Item sizes and formats" in the developer guide counts them (strings and names in UTF-8 bytes,
 * binary in raw bytes, a number one byte per two significant digits plus one, a boolean or null
 * one byte, a list or map 3 bytes plus one per element, a set the sum of its members). A write
 * costs one unit per started KB of it.
 */
public final class ItemSizes {

    public static final int WRITE_UNIT_BYTES = 1024;

    private ItemSizes() {
    }

    public static int bytes(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    /** Write units for writing an item of this many bytes (a replacing write: the larger of old and new). */
    public static int writeUnits(int bytes) {
        return Math.max(1, (bytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    static int value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToInt(ItemSizes::utf8).sum();
            case NS -> v.ns().stream().mapToInt(ItemSizes::number).sum();
            case BS -> v.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            case L -> 3 + elements(v.l());
            case M -> 3 + v.m().size() + bytes(v.m());
            default -> throw new IllegalArgumentException("unknown attribute type: " + v);
        };
    }

    private static int elements(Collection<AttributeValue> values) {
        return values.stream().mapToInt(e -> 1 + value(e)).sum();
    }

    /** One byte per two significant digits (leading and trailing zeroes trimmed), plus one; a sign costs one more. */
    static int number(String n) {
        BigDecimal d = new BigDecimal(n);
        int digits = d.signum() == 0 ? 1 : d.stripTrailingZeros().unscaledValue().abs().toString().length();
        return (digits + 1) / 2 + 1 + (d.signum() < 0 ? 1 : 0);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
