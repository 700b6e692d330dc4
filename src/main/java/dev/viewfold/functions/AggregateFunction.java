package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.errors.Refused;
import dev.viewfold.events.dynamodb.DynamoDbStreamParser;
import dev.viewfold.events.ImageRowChange;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowsChanged;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
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

    private AggregateReport fromStream(JsonNode event) {
        List<AggregateReport.Folded> folded = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String sequence = record.path("dynamodb").path("SequenceNumber").asText("");
            ImageRowChange change;
            try {
                change = DynamoDbStreamParser.change(record);
            } catch (Refused unreadable) {
                // No retry can fix a record we cannot read; reporting it would stall the shard.
                LOG.errorf("skipping stream record %s: %s", sequence, unreadable.getMessage());
                continue;
            }
            try {
                RowsChanged known = new RowsChanged(
                        change.newRow() == null ? List.of() : List.of(change.newRow()),
                        change.newRow() == null && change.oldRow() != null ? List.of(change.oldRow()) : List.of());
                for (String observation : change.observations()) {
                    folded.add(folded(aggregator.aggregate(change.space(), observation, null, change.version(), known)));
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "stream record %s failed; Lambda retries from it", sequence);
                return new AggregateReport(folded, List.of(new AggregateReport.BatchItemFailure(sequence)));
            }
        }
        return new AggregateReport(folded, List.of());
    }

    private static AggregateReport.Folded folded(Aggregator.Result r) {
        ObservationRow row = r.row();
        return new AggregateReport.Folded(row.observationId(), row.space(), row.status().wire(), row.strategy(),
                row.viewCount(), row.outlierViews(), row.views().stream().filter(v -> v.likelyHome() != null)
                .map(v -> new AggregateReport.LikelyHome(v.viewId(), v.imageId(), v.likelyHome(), v.likelyHomeScore()))
                .toList(), row.dispersion(), row.explanation(), r.written());
    }
}
