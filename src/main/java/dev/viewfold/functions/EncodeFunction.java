package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeSummary;
import dev.viewfold.encode.Encoder;
import dev.viewfold.events.NotificationEncoder;
import dev.viewfold.events.S3EventParser;
import dev.viewfold.events.S3Notification;
import dev.viewfold.jobs.EncodeActivity;
import dev.viewfold.ops.Telemetry;
import dev.viewfold.store.TableStats;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code encode}: takes an S3 event notification (bare, inside an SQS message, or as a Lambda SQS
 * event) and encodes every object it announces. The GPU container reaches the same code through
 * {@code SqsEncodeWorker}; over HTTP it is {@code POST /encode}.
 */
@RegisterForReflection(targets = {EncodeReport.class, EncodeOutcome.class, TableStats.class})
public class EncodeFunction {

    @Inject
    S3EventParser parser;

    @Inject
    NotificationEncoder notifications;

    @Inject
    Encoder encoder;

    @Inject
    Telemetry telemetry;

    @Inject
    EncodeActivity activity;

    @Funq("encode")
    public EncodeReport encode(JsonNode event) {
        S3Notification notification = parser.parse(event);
        int images = notification.created().size() + notification.removed().size();
        activity.started(images);
        EncodeSummary summary = new EncodeSummary();
        List<EncodeOutcome> outcomes = List.of();
        try {
            outcomes = notifications.encode(notification);
            telemetry.encoded(outcomes);
            summary.add(outcomes);
        } finally {
            activity.finished(images, summary.encoded(), summary.failed());
        }
        return new EncodeReport(summary.encoded(), summary.unchanged(), summary.relabelled(), summary.failed(), summary.missing(), summary.removed(),
                notification.ignored(), encoder.space(), outcomes);
    }
}
