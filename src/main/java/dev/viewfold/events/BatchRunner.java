package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.EncodeSummary;
import dev.viewfold.encode.Encoder;
import dev.viewfold.store.ObjectStore;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Feeds a list of requests to the encoder batch by batch, reporting progress after each. The next
 * batch is read and decoded on the decode pool while the model runs on the current one.
 */
public final class BatchRunner {

    private final Encoder encoder;
    private final int batchSize;

    public BatchRunner(Encoder encoder, int batchSize) {
        this.encoder = encoder;
        this.batchSize = Math.max(1, batchSize);
    }

    private List<EncodeRequest> batch(List<EncodeRequest> requests, int from) {
        return requests.subList(from, Math.min(requests.size(), from + batchSize));
    }

    /**
     * @param progress called after each batch with the running summary and the batch's outcomes
     */
    public EncodeSummary run(ObjectStore store, List<EncodeRequest> requests,
                             BiConsumer<EncodeSummary, List<EncodeOutcome>> progress) {
        EncodeSummary summary = new EncodeSummary();
        Encoder.Pending next = requests.isEmpty() ? null : encoder.start(store, batch(requests, 0));
        for (int from = 0; from < requests.size(); from += batchSize) {
            Encoder.Pending current = next;
            next = from + batchSize < requests.size() ? encoder.start(store, batch(requests, from + batchSize)) : null;
            List<EncodeOutcome> outcomes = encoder.finish(current);
            summary.add(outcomes);
            progress.accept(summary, outcomes);
        }
        return summary;
    }
}
