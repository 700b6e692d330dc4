package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.events.DynamoDbStreamParser;
import dev.viewfold.events.ImageRowChange;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.wiring.EncodeWiring.EmbeddingSpace;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code aggregate}: refolds observations. Takes either the image table's DynamoDB stream event
 * (on AWS) or a request {@code {"observationId": "...", "strategy": "robust", "space": "..."}}
 * (strategy and space optional) over HTTP.
 */
@RegisterForReflection(targets = {AggregateFunction.Request.class, AggregateReport.class, AggregateReport.Folded.class,
        AggregateReport.BatchItemFailure.class})
public class AggregateFunction {

    /** A refold asked for over HTTP; strategy and space optional. */
    public record Request(String observationId, String strategy, String space) {
    }

    private static final Logger LOG = Logger.getLogger(AggregateFunction.class);

    @Inject
    Aggregator aggregator;

    @Inject
    EmbeddingSpace space;

    @Inject
    ObjectMapper json;

    @Inject
    FoldStrategies strategies;

    @Funq("aggregate")
    public AggregateReport aggregate(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new BadRequest("expected a JSON object: a DynamoDB stream event or {\"observationId\": ...}");
        }
        if (DynamoDbStreamParser.isStreamEvent(input)) {
            return fromStream(input);
        }
        Request request = RequestBodies.bind(json, input, Request.class);
        String observation = request.observationId() == null ? "" : request.observationId();
        if (observation.isBlank()) {
            throw new BadRequest("missing observationId");
        }
        String strategy = request.strategy();
        if (strategy != null) {
            try {
                strategies.get(strategy);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage());
            }
        }
        String inSpace = request.space() != null ? request.space() : space.id();
        ObservationRow probe = aggregator.compute(inSpace, observation, strategy, 0);
        if (probe.views().isEmpty() && "no views left".equals(probe.error())) {
            throw new BadRequest("no image rows for observation '" + observation + "' in space " + inSpace);
        }
        var result = aggregator.refold(inSpace, observation, strategy);
        return new AggregateReport(List.of(folded(result)), List.of());
    }

    private AggregateReport fromStream(JsonNode event) {
        List<AggregateReport.Folded> folded = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String sequence = record.path("dynamodb").path("SequenceNumber").asText("");
            ImageRowChange change;
            try {
                change = DynamoDbStreamParser.change(record);
            } catch (IllegalArgumentException e) {
                // No retry can fix a record we cannot read; reporting it would stall the shard.
                LOG.errorf("skipping stream record %s: %s", sequence, e.getMessage());
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
                row.viewCount(), row.outlierViews(), row.dispersion(), row.explanation(), r.written());
    }
}
