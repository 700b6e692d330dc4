package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.EncodeSummary;
import dev.viewfold.encode.Encoder;
import dev.viewfold.store.ObjectStore;

import java.util.List;
import java.util.function.BiConsumer;

/** Feeds a list of requests to the encoder batch by batch, reporting progress after each. */
public final class BatchRunner {

    private final Encoder encoder;
    private final int batchSize;

    public BatchRunner(Encoder encoder, int batchSize) {
        this.encoder = encoder;
        this.batchSize = Math.max(1, batchSize);
    }

    /**
     * @param progress called after each batch with the running summary and the batch's outcomes
     */
    public EncodeSummary run(ObjectStore store, List<EncodeRequest> requests,
                             BiConsumer<EncodeSummary, List<EncodeOutcome>> progress) {
        EncodeSummary summary = new EncodeSummary();
        for (int from = 0; from < requests.size(); from += batchSize) {
            List<EncodeOutcome> outcomes = encoder.encode(store, requests.subList(from, Math.min(requests.size(), from + batchSize)));
            summary.add(outcomes);
            progress.accept(summary, outcomes);
        }
        return summary;
    }
}
