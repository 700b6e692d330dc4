package dev.viewfold.events.sqs;

import dev.viewfold.errors.Refused;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.events.NotificationEncoder;
import dev.viewfold.events.S3EventParser;
import dev.viewfold.events.S3Notification;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The encode container's loop on AWS: S3 object-created notifications arrive on an SQS queue;
 * each message is encoded and deleted. A message whose objects cannot be read (S3 or the table
 * unreachable) is left on the queue to be redelivered, then dead-lettered by the queue's redrive
 * policy; a message that is not an S3 notification is logged and deleted, since no retry can fix it.
 */
public final class SqsEncodeWorker {

    private static final Logger LOG = Logger.getLogger(SqsEncodeWorker.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final S3EventParser parser;
    private final NotificationEncoder encoder;

    public SqsEncodeWorker(SqsClient sqs, String queueUrl, S3EventParser parser, NotificationEncoder encoder) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.parser = parser;
        this.encoder = encoder;
    }

    /**
     * One long poll: receives up to 10 messages and encodes all their objects as one batch (the
     * model sees up to 10 images at once, not one), then deletes them. If the batch fails, each
     * message is tried alone, so one bad message is left for redelivery without holding back the rest.
     */
    public List<EncodeOutcome> pollOnce(int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages();
        List<Message> parsed = new ArrayList<>();
        List<S3Notification> notifications = new ArrayList<>();
        for (Message m : messages) {
            try {
                notifications.add(parser.parse(m.body()));
                parsed.add(m);
            } catch (Refused e) {
                LOG.errorf("deleting message %s, which is not an S3 notification: %s", m.messageId(), e.getMessage());
                delete(List.of(m));
            }
        }
        if (parsed.isEmpty()) {
            return List.of();
        }
        try {
            List<EncodeOutcome> all = encoder.encode(merged(notifications));
            delete(parsed);
            return all;
        } catch (RuntimeException batchFailed) {
            LOG.warnf(batchFailed, "a batch of %d messages failed; trying each alone", parsed.size());
        }
        List<EncodeOutcome> all = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            try {
                all.addAll(encoder.encode(notifications.get(i)));
                delete(List.of(parsed.get(i)));
            } catch (RuntimeException e) {
                LOG.warnf(e, "message %s left for redelivery", parsed.get(i).messageId());
            }
        }
        return all;
    }

    /** One notification holding every message's objects, in the order received. */
    static S3Notification merged(List<S3Notification> notifications) {
        List<dev.viewfold.events.ObjectCreated> created = new ArrayList<>();
        List<dev.viewfold.events.ObjectCreated> removed = new ArrayList<>();
        int ignored = 0;
        for (S3Notification n : notifications) {
            created.addAll(n.created());
            removed.addAll(n.removed());
            ignored += n.ignored();
        }
        return new S3Notification(created, removed, ignored);
    }

    /** Polls until the thread is interrupted. */
    public void run() {
        LOG.infof("encode worker draining %s", queueUrl);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                pollOnce(20);
            } catch (RuntimeException e) {
                LOG.warnf(e, "receive from %s failed; retrying in 5 s", queueUrl);
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void delete(List<Message> done) {
        List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            int id = i;
            entries.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(id)).receiptHandle(done.get(i).receiptHandle()).build());
        }
        var failed = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
        // Not deleted: redelivered after the visibility timeout and found unchanged (rows are keyed, writes idempotent).
        failed.forEach(f -> LOG.warnf("could not delete message %s: %s", f.id(), f.message()));
    }
}
