package dev.viewfold.cli;

import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.events.NotificationEncoder;
import dev.viewfold.events.S3EventParser;
import dev.viewfold.events.sqs.SqsEncodeWorker;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code worker}: the encode container's loop on AWS, draining the queue of S3 notifications. */
@Dependent
class WorkerCommand implements Command {

    static final String SYNOPSIS = "worker";
    static final String DOES = "drain the SQS queue of S3 notifications (viewfold.aws.queue-url)";

    @Inject
    ViewfoldConfig config;

    @Inject
    EncoderLoader loader;

    @Inject
    Instance<SqsClient> sqs;

    @Inject
    S3EventParser parser;

    @Inject
    Instance<NotificationEncoder> notifications;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args.parse("worker", args, Set.of(), Set.of()).positional(0, "no arguments");
        String queue = config.aws().queueUrl()
                .orElseThrow(() -> new UsageException("worker needs viewfold.aws.queue-url (VIEWFOLD_AWS_QUEUE_URL)"));
        loader.encoder();
        new SqsEncodeWorker(sqs.get(), queue, parser, notifications.get()).run();
        return 0;
    }
}
