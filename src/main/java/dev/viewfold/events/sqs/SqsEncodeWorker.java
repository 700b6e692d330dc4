package dev.viewfold.events.sqs;

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

    /** One long poll: receives up to 10 messages, encodes them, deletes those done. */
    public List<EncodeOutcome> pollOnce(int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages();
        List<EncodeOutcome> all = new ArrayList<>();
        for (Message m : messages) {
            S3Notification notification;
            try {
                notification = parser.parse(m.body());
            } catch (IllegalArgumentException e) {
                LOG.errorf("deleting message %s, which is not an S3 notification: %s", m.messageId(), e.getMessage());
                delete(m);
                continue;
            }
            try {
                all.addAll(encoder.encode(notification));
                delete(m);
            } catch (RuntimeException e) {
                LOG.warnf(e, "message %s left for redelivery", m.messageId());
            }
        }
        return all;
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

    private void delete(Message m) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
    }
}
