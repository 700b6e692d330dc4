package dev.viewfold.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -c searchBackend=s3vectors}: the vector bucket, the model space's indexes and what the functions are told. */
class VectorsTest {

    /** The functions (and tasks) that read or write vectors, by the resource that carries their environment. */
    static final Map<String, String> VECTOR_USERS = Map.of(
            "EncodeTask", "AWS::ECS::TaskDefinition",
            "AggregateFunction", "AWS::Lambda::Function",
            "ClusterFunction", "AWS::Lambda::Function",
            "SearchFunction", "AWS::Lambda::Function",
            "GroupsFunction", "AWS::Lambda::Function",
            "TrainTask", "AWS::ECS::TaskDefinition");

    @Test
    void theVectorBucketIsNamedAfterTheStackEncryptedAndKept() {
        Synth s = Synth.vectors();
        JsonNode bucket = s.resource("AWS::S3Vectors::VectorBucket", "VectorBucket");
        assertEquals("viewfold-vectors-AWS::AccountId-AWS::Region",
                Synth.describe(bucket.at("/Properties/VectorBucketName")));
        assertEquals("AES256", bucket.at("/Properties/EncryptionConfiguration/SseType").asText());
        assertEquals("Retain", bucket.path("DeletionPolicy").asText());
        assertEquals(1, s.resources("AWS::S3Vectors::VectorBucket").size());
        assertEquals(Synth.describe(bucket.at("/Properties/VectorBucketName")),
                Synth.describe(s.json.at("/Outputs/VectorBucketName/Value")));
        assertEquals("viewfold", s.json.at("/Outputs/VectorIndexPrefix/Value").asText());
    }

    @Test
    void theModelSpaceHasShardedImageIndexesAndAnObservationIndex() {
        Synth s = Synth.vectors();
        Map<String, JsonNode> byName = new TreeMap<>();
        for (JsonNode index : s.resources("AWS::S3Vectors::Index").values()) {
            byName.put(index.at("/Properties/IndexName").asText(), index);
        }
        assertEquals(List.of("viewfold-images-0", "viewfold-images-1", "viewfold-images-2", "viewfold-images-3",
                "viewfold-observations"), List.copyOf(byName.keySet()));
        String bucket = s.id("AWS::S3Vectors::VectorBucket", "VectorBucket");
        for (JsonNode index : byName.values()) {
            JsonNode p = index.path("Properties");
            assertEquals("float32", p.path("DataType").asText());
            assertEquals("cosine", p.path("DistanceMetric").asText());
            assertEquals(1280, p.path("Dimension").asInt(), "the shipped model's embedding");
            // the bucket's ARN attribute: CloudFormation creates the bucket before its indexes
            assertEquals(bucket + ".VectorBucketArn", Synth.describe(p.path("VectorBucketArn")));
            assertTrue(p.path("MetadataConfiguration").isMissingNode(), "observation, cluster and labels stay filterable");
            assertEquals("Retain", index.path("DeletionPolicy").asText());
        }
    }

    @Test
    void everyFunctionThatReadsOrWritesVectorsIsToldWhereTheyAre() {
        Synth s = Synth.vectors();
        String bucketName = Synth.describe(s.resource("AWS::S3Vectors::VectorBucket", "VectorBucket")
                .at("/Properties/VectorBucketName"));
        for (var user : VECTOR_USERS.entrySet()) {
            Map<String, String> env = s.environment(user.getValue(), user.getKey());
            assertEquals("s3vectors", env.get("VIEWFOLD_SEARCH_BACKEND"), user.getKey());
            assertEquals(bucketName, env.get("VIEWFOLD_SEARCH_S3VECTORS_BUCKET"), user.getKey());
            assertEquals("viewfold", env.get("VIEWFOLD_SEARCH_S3VECTORS_INDEX_PREFIX"), user.getKey());
            assertEquals("4", env.get("VIEWFOLD_SEARCH_S3VECTORS_IMAGE_SHARDS"), user.getKey());
            // the uploads bucket: failed index writes are marked under its index/pending/
            assertEquals(s.id("AWS::S3::Bucket", "Uploads"), env.get("VIEWFOLD_AWS_BUCKET"), user.getKey());
        }
        assertFalse(Synth.standard().environment("AWS::Lambda::Function", "AggregateFunction").containsKey("VIEWFOLD_AWS_BUCKET"),
                "aggregate touches no bucket on the memory backend");
    }

    @Test
    void aDeploymentNamesItsBucketPrefixAndDimension() {
        Synth s = Synth.variant();
        assertEquals("photo-vectors", s.resource("AWS::S3Vectors::VectorBucket", "VectorBucket")
                .at("/Properties/VectorBucketName").asText());
        List<String> names = s.resources("AWS::S3Vectors::Index").values().stream()
                .map(i -> i.at("/Properties/IndexName").asText()).sorted().toList();
        assertEquals(List.of("photos-images", "photos-observations"), names, "one image shard: no shard suffix");
        for (JsonNode index : s.resources("AWS::S3Vectors::Index").values()) {
            assertEquals(512, index.at("/Properties/Dimension").asInt());
        }
        // the Fargate tasks (cluster with clusterMode=ecs, train) are told as the Lambdas are
        for (String task : List.of("ClusterTask", "TrainTask", "EncodeTask")) {
            Map<String, String> env = s.environment("AWS::ECS::TaskDefinition", task);
            assertEquals("photo-vectors", env.get("VIEWFOLD_SEARCH_S3VECTORS_BUCKET"), task);
            assertEquals("photos", env.get("VIEWFOLD_SEARCH_S3VECTORS_INDEX_PREFIX"), task);
            assertEquals("1", env.get("VIEWFOLD_SEARCH_S3VECTORS_IMAGE_SHARDS"), task);
        }
    }

    @Test
    void theDefaultBackendAddsNoVectorsAndTellsNoFunction() {
        Synth s = Synth.standard();
        assertTrue(s.resources("AWS::S3Vectors::VectorBucket").isEmpty());
        assertTrue(s.resources("AWS::S3Vectors::Index").isEmpty());
        assertFalse(s.json.toString().contains("VIEWFOLD_SEARCH_"), "no search settings without s3vectors");
        assertFalse(s.json.toString().contains("s3vectors:"), "no vector grants without s3vectors");
        assertTrue(s.json.at("/Outputs/VectorBucketName").isMissingNode());
    }

    @Test
    void imageShardsAreNamedByNumber() {
        assertEquals(List.of("viewfold-images"), Vectors.imageIndexNames("viewfold", 1));
        assertEquals(List.of("v-images-0", "v-images-1"), Vectors.imageIndexNames("v", 2));
    }

    @Test
    void unusableSettingsStopTheSynth() {
        Map<String, String> refused = Map.of(
                "searchBackend", "opensearch",
                "imageShards", "17",
                "dimension", "0",
                "indexPrefix", "Photos",
                "vectorBucket", "x",
                "assignConcurrency", "many",
                // a typo must stop the synth, not keep or drop the image table's index unnoticed
                "observationIndex", "off");
        for (var e : refused.entrySet()) {
            Map<String, Object> ctx = new HashMap<>(Synth.defaults());
            ctx.put(e.getKey(), e.getValue());
            App app = ViewfoldApp.newApp(ctx);
            var error = assertThrows(IllegalArgumentException.class, () -> ViewfoldApp.stack(app), e.toString());
            assertTrue(error.getMessage().contains(e.getKey()), error.getMessage());
        }
        Map<String, Object> ctx = new HashMap<>(Synth.defaults());
        ctx.put("indexPrefix", "p".repeat(Settings.MAX_INDEX_PREFIX + 1));
        App app = ViewfoldApp.newApp(ctx);
        assertThrows(IllegalArgumentException.class, () -> ViewfoldApp.stack(app), "a head's index name would pass 63 characters");
    }
}
