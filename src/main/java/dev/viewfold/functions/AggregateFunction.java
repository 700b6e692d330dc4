package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.errors.Refused;
import dev.viewfold.events.dynamodb.DynamoDbStreamParser;
import dev.viewfold.events.ChangeBatch;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObservationRow;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code aggregate}: refolds observations. Takes either the image table's DynamoDB stream event
 * (on AWS) or a request {@code {"observationId": "...", "strategy": "robust", "space": "..."}}
 * (strategy and space optional: the observation's own strategy, the model's space) over HTTP.
 */
@RegisterForReflection(targets = {AggregateFunction.Request.class, AggregateReport.class, AggregateReport.Folded.class,
        AggregateReport.LikelyHome.class, AggregateReport.BatchItemFailure.class})
public class AggregateFunction {

    /** A refold asked for over HTTP; strategy and space optional. */
    public record Request(String observationId, String strategy, String space) {
    }

    private static final Logger LOG = Logger.getLogger(AggregateFunction.class);

    @Inject
    Aggregator aggregator;

    @Inject
    Spaces spaces;

    @Inject
    ObjectMapper json;

    @Funq("aggregate")
    public AggregateReport aggregate(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw Refused.invalid("expected a JSON object: a DynamoDB stream event or {\"observationId\": ...}");
        }
        if (DynamoDbStreamParser.isStreamEvent(input)) {
            return fromStream(input);
        }
        Request request = RequestBodies.bind(json, input, Request.class);
        if (request.observationId() == null || request.observationId().isBlank()) {
            throw Refused.invalid("missing observationId");
        }
        String space = spaces.require(request.space()).id();
        var result = aggregator.refold(space, request.observationId(), request.strategy());
        return new AggregateReport(List.of(folded(result)), List.of());
    }

    /**
     * One delivery of the image table's stream: every observation it touches is folded once, with all
     * of the batch's changes known, and the rows of many are read together. A failed fold names the
     * first record that touched its observation, and Lambda retries from there.
     */
    private AggregateReport fromStream(JsonNode event) {
        ChangeBatch batch = new ChangeBatch();
        for (JsonNode record : event.path("Records")) {
            try {
                batch.add(DynamoDbStreamParser.change(record));
            } catch (Refused unreadable) {
                // No retry can fix a record we cannot read; reporting it would stall the shard.
                LOG.errorf("skipping stream record %s: %s", record.path("dynamodb").path("SequenceNumber").asText(""),
                        unreadable.getMessage());
            }
        }
        Aggregator.Batch result = aggregator.aggregateAll(batch.touched(), batch.known());
        List<AggregateReport.Folded> folded = result.folded().stream().map(AggregateFunction::folded).toList();
        if (result.failure() == null) {
            return new AggregateReport(folded, List.of());
        }
        String sequence = batch.retryFrom(result.failed());
        LOG.errorf(result.failure(), "folding %s failed; Lambda retries from stream record %s",
                result.failed().observationId(), sequence);
        return new AggregateReport(folded, List.of(new AggregateReport.BatchItemFailure(sequence)));
    }

    private static AggregateReport.Folded folded(Aggregator.Result r) {
        ObservationRow row = r.row();
        return new AggregateReport.Folded(row.observationId(), row.space(), row.status().wire(), row.strategy(),
                row.viewCount(), row.outlierViews(), row.views().stream().filter(v -> v.likelyHome() != null)
                .map(v -> new AggregateReport.LikelyHome(v.viewId(), v.imageId(), v.likelyHome(), v.likelyHomeScore()))
                .toList(), row.dispersion(), row.explanation(), r.written());
    }
}
