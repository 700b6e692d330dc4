package dev.viewfold.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An item as a DynamoDB stream record carries it to Lambda (typed JSON: {@code {"S": ...}},
 * {@code {"N": "12"}}, {@code {"B": base64}}, sets, lists, maps), as the SDK's attribute values, so
 * that {@link ItemCodec} reads it exactly as it reads the table.
 */
public final class StreamItems {

    private StreamItems() {
    }

    /** The attributes of a {@code NewImage} or {@code OldImage}; empty when it is absent. */
    public static Map<String, AttributeValue> attributes(JsonNode image) {
        Map<String, AttributeValue> out = new HashMap<>();
        if (image != null && image.isObject()) {
            image.properties().forEach(e -> out.put(e.getKey(), value(e.getValue())));
        }
        return out;
    }

    private static AttributeValue value(JsonNode typed) {
        if (typed.has("S")) {
            return AttributeValue.fromS(typed.get("S").asText());
        }
        if (typed.has("N")) {
            return AttributeValue.fromN(typed.get("N").asText());
        }
        if (typed.has("B")) {
            return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(typed.get("B").asText())));
        }
        if (typed.has("BOOL")) {
            return AttributeValue.fromBool(typed.get("BOOL").asBoolean());
        }
        if (typed.has("NULL")) {
            return AttributeValue.fromNul(true);
        }
        if (typed.has("SS")) {
            List<String> values = new ArrayList<>();
            typed.get("SS").forEach(v -> values.add(v.asText()));
            return AttributeValue.fromSs(values);
        }
        if (typed.has("NS")) {
            List<String> values = new ArrayList<>();
            typed.get("NS").forEach(v -> values.add(v.asText()));
            return AttributeValue.fromNs(values);
        }
        if (typed.has("L")) {
            List<AttributeValue> values = new ArrayList<>();
            typed.get("L").forEach(v -> values.add(value(v)));
            return AttributeValue.fromL(values);
        }
        if (typed.has("M")) {
            return AttributeValue.fromM(attributes(typed.get("M")));
        }
        throw new IllegalArgumentException("not a DynamoDB attribute value: " + typed);
    }
}
