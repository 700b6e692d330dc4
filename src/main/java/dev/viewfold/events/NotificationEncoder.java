package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.store.ObjectStores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes (or forgets) what one S3 notification announces, reading each object from its own bucket. */
public final class NotificationEncoder {

    private final ObjectStores stores;
    private final Encoder encoder;

    public NotificationEncoder(ObjectStores stores, Encoder encoder) {
        this.stores = stores;
        this.encoder = encoder;
    }

    public List<EncodeOutcome> encode(S3Notification notification) {
        Map<String, List<EncodeRequest>> byBucket = new LinkedHashMap<>();
        for (ObjectCreated o : notification.created()) {
            byBucket.computeIfAbsent(o.bucket(), b -> new ArrayList<>()).add(new EncodeRequest(o.key(), null, null, o.sequencer()));
        }
        List<EncodeOutcome> out = new ArrayList<>();
        byBucket.forEach((bucket, requests) -> out.addAll(encoder.encode(stores.bucket(bucket), requests)));
        for (ObjectCreated o : notification.removed()) {
            out.addAll(encoder.forget(stores.bucket(o.bucket()), List.of(o.key())));
        }
        return out;
    }
}
