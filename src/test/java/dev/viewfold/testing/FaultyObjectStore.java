package dev.viewfold.testing;

import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.StoredObject;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An object store whose k-th write fails as a full disk would (nothing written); reads pass through. */
public final class FaultyObjectStore implements ObjectStore {

    private final ObjectStore store;
    private final int failAt;
    private int writes;

    public FaultyObjectStore(ObjectStore store, int failAt) {
        this.store = store;
        this.failAt = failAt;
    }

    public synchronized int writes() {
        return writes;
    }

    @Override
    public synchronized void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        if (++writes == failAt) {
            throw new IOException("injected fault: no space left on device, writing " + key);
        }
        store.put(key, bytes, metadata);
    }

    @Override
    public StoredObject get(String key, long maxBytes) throws IOException {
        return store.get(key, maxBytes);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return store.exists(key);
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
    }

    @Override
    public String uri(String key) {
        return store.uri(key);
    }
}
