package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.viewfold.check.CheckRun;
import dev.viewfold.classify.ClassifyService;
import dev.viewfold.cluster.RunSummary;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.heads.HeadReport;
import dev.viewfold.heads.TrainOptions;
import dev.viewfold.jobs.Jobs;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published API document says what the code reads and writes, no more and no less. */
class OpenApiTest {

    static final Path DOCUMENT = Path.of("functions/openapi.yaml");
    static final JsonNode API = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
        } catch (IOException e) {
            throw new AssertionError(DOCUMENT + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Set<String> fields(Class<? extends Record> type) {
        return new TreeSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    private static Set<String> properties(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        resolve(schema).path("properties").fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : API.at(ref.substring(1));
    }

    static JsonNode schema(String name) {
        return API.path("components").path("schemas").path(name);
    }

    @Test
    void everySchemaHasExactlyItsRecordsFields() {
        Map<JsonNode, Class<? extends Record>> schemas = new LinkedHashMap<>();
        schemas.put(schema("SearchRequest"), SearchRequest.class);
        schemas.put(schema("SearchRequest").path("properties").path("filter"), SearchRequest.Filter.class);
        schemas.put(schema("SearchResponse"), SearchResponse.class);
        schemas.put(schema("Hit"), SearchResult.Hit.class);
        schemas.put(schema("DuplicatesRequest"), DuplicatesRequest.class);
        schemas.put(schema("DuplicatesResponse"), DuplicatesResponse.class);
        schemas.put(schema("DuplicateGroup"), NearDuplicates.Group.class);
        schemas.put(schema("EncodeReport"), EncodeReport.class);
        schemas.put(schema("EncodeReport").path("properties").path("outcomes").path("items"), EncodeOutcome.class);
        schemas.put(schema("AggregateRequest"), AggregateFunction.Request.class);
        schemas.put(schema("AggregateReport"), AggregateReport.class);
        schemas.put(schema("AggregateReport").path("properties").path("observations").path("items"),
                AggregateReport.Folded.class);
        schemas.put(schema("AggregateReport").path("properties").path("observations").path("items").path("properties")
                .path("likelyHomes").path("items"), AggregateReport.LikelyHome.class);
        schemas.put(schema("RunSummary"), RunSummary.class);
        schemas.put(schema("LabelsRequest"), LabelsFunction.Request.class);
        schemas.put(schema("LabelsResponse"), LabelsFunction.Response.class);
        schemas.put(schema("TrainOptions"), TrainOptions.class);
        schemas.put(schema("HeadReport"), HeadReport.class);
        schemas.put(schema("HeadReport").path("properties").path("validationRaw"), HeadReport.Scores.class);
        schemas.put(schema("ClassifyRequest"), ClassifyFunction.Request.class);
        schemas.put(schema("ClassifyAnswer"), ClassifyService.Answer.class);
        schemas.put(schema("ClassifyAnswer").path("properties").path("scores").path("items"), ClassifyService.Score.class);
        schemas.put(schema("Stats"), CheckRun.Stats.class);
        schemas.put(schema("CheckReport"), CheckRun.Report.class);
        schemas.put(schema("CheckReport").path("properties").path("spaces").path("items"), CheckRun.SpaceReport.class);
        schemas.put(schema("Job"), Jobs.Status.class);
        schemas.put(schema("ObservationRequest"), ObservationFunction.Request.class);
        schemas.put(schema("Observation"), ObservationFunction.Observation.class);
        schemas.put(schema("Observation").path("properties").path("views").path("items"), ObservationFunction.ViewOf.class);
        schemas.put(schema("Spaces"), SpacesFunction.Listing.class);
        schemas.put(schema("Spaces").path("properties").path("heads").path("items"), SpacesFunction.Head.class);
        schemas.put(schema("DecisionRequest"), DecisionsFunction.Request.class);
        schemas.put(schema("Decision"), dev.viewfold.search.DuplicateDecisions.Record.class);
        schemas.put(schema("Status"), StatusFunction.Status.class);
        schemas.put(schema("Status").path("properties").path("encoding"), dev.viewfold.jobs.EncodeActivity.Snapshot.class);
        schemas.forEach((schema, type) -> assertEquals(fields(type), properties(schema), type.getName()));
    }

    @Test
    void theUploadRouteListsTheParametersItAccepts() {
        Set<String> documented = new TreeSet<>();
        API.path("paths").path("/search/image").path("post").path("parameters")
                .forEach(p -> documented.add(p.path("name").asText()));
        assertEquals(SearchUploadRoute.PARAMETERS, documented);
    }

    /** {@code curl ... localhost:8080/<route> ... -d '<json>'} and {@code POST /<route> {json}} in the docs. */
    static final Pattern CURL = Pattern.compile("localhost:8080/([a-z/]+)[^\\n]*?-d '(\\{[^'\\n]*})'");
    static final Pattern INLINE = Pattern.compile("`POST /([a-z/]+) (\\{[^`]*})`");

    @Test
    void theReadmesExamplesSendOnlyFieldsTheDocumentDescribes() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path doc : List.of(Path.of("README.md"), Path.of("functions/groups/README.md"),
                Path.of("functions/aggregate/README.md"),
                Path.of("functions/search/README.md"), Path.of("infra/README.md"))) {
            String text = Files.readString(doc).replace("\\\n", " ");
            for (Pattern p : List.of(CURL, INLINE)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String route = "/" + m.group(1);
                    JsonNode body = new ObjectMapper().readTree(m.group(2).replace(", ...]", "]"));
                    JsonNode schema = API.path("paths").path(route).path("post").path("requestBody").path("content")
                            .path("application/json").path("schema");
                    assertTrue(!schema.isMissingNode(), doc + ": " + route + " takes no JSON body in " + DOCUMENT);
                    assertFieldsKnown(doc + " " + route, body, schema);
                    checked.add(route);
                }
            }
        }
        assertTrue(checked.containsAll(List.of("/aggregate", "/search", "/duplicates", "/labels")), checked.toString());
    }

    private static void assertFieldsKnown(String where, JsonNode body, JsonNode schema) {
        Set<String> known = properties(schema);
        body.fieldNames().forEachRemaining(f -> {
            assertTrue(known.contains(f), where + ": '" + f + "' is not in the schema " + known);
            JsonNode value = body.get(f);
            JsonNode inner = resolve(schema).path("properties").path(f);
            if (value.isObject() && resolve(inner).has("properties")) {
                assertFieldsKnown(where + "." + f, value, inner);
            }
        });
    }
}
