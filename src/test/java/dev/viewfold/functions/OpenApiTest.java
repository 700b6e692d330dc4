package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.viewfold.search.SearchResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The published contract of the search function says what the code reads and writes, no more and no less. */
class OpenApiTest {

    static final JsonNode API = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("functions/search/openapi.yaml").toFile());
        } catch (IOException e) {
            throw new AssertionError("functions/search/openapi.yaml is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Set<String> fields(Class<? extends Record> type) {
        return new TreeSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    private static Set<String> properties(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theSearchRequestSchemaHasExactlyTheRequestsFields() {
        JsonNode request = API.path("components").path("schemas").path("SearchRequest");
        assertEquals(fields(SearchRequest.class), properties(request));
        assertEquals(fields(SearchRequest.Filter.class), properties(request.path("properties").path("filter")));
    }

    @Test
    void aHitIsDescribedFieldForField() {
        assertEquals(fields(SearchResult.Hit.class), properties(API.path("components").path("schemas").path("Hit")));
    }

    @Test
    void theUploadRouteListsTheParametersItAccepts() {
        Set<String> documented = new TreeSet<>();
        API.path("paths").path("/search/image").path("post").path("parameters")
                .forEach(p -> documented.add(p.path("name").asText()));
        assertEquals(SearchUploadRoute.PARAMETERS, documented);
    }
}
