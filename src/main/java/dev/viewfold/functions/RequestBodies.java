package dev.viewfold.functions;

import dev.viewfold.errors.Refused;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/**
 * Binds a request body strictly: an unknown field is an error (a misspelt option silently ignored
 * is worse), and every binding error names the field in words a client can act on.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    static <T> T bind(ObjectMapper json, JsonNode body, Class<T> type) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw Refused.invalid("the request body is empty: send a JSON object");
        }
        if (!body.isObject()) {
            throw Refused.invalid("the request body must be a JSON object, not " + body.getNodeType().name().toLowerCase());
        }
        // k: 2.5 is a mistake, not 2; but 3.0 (what Python's json sends for a float) is 3.
        ObjectReader reader = json.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        try {
            return reader.readValue(wholeNumbersAsIntegers(body));
        } catch (UnrecognizedPropertyException e) {
            throw Refused.invalid("unknown field '" + path(e) + "'; known fields: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            String reason = e.getOriginalMessage();
            int cut = reason.indexOf('\n');
            throw Refused.invalid("field '" + path(e) + "' has the wrong type: "
                    + (cut > 0 ? reason.substring(0, cut) : reason));
        } catch (JsonProcessingException e) {
            throw Refused.invalid("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw Refused.invalid("unreadable request: " + e.getMessage());
        }
    }

    /** Rewrites, in place, every whole-valued number written with a fraction or exponent as an integer. */
    private static JsonNode wholeNumbersAsIntegers(JsonNode node) {
        if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(node.longValue());
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.properties().forEach(e -> e.setValue(wholeNumbersAsIntegers(e.getValue())));
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, wholeNumbersAsIntegers(a.get(i)));
            }
        }
        return node;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
