package dev.viewfold.store;

import java.util.List;

/**
 * Image rows just written, and rows just removed (or moved to another observation), as the writer
 * knows them. Whoever refolds observations applies these over what it reads back, because a
 * secondary index (DynamoDB's) may not show them yet.
 *
 * @param removed rows as they were, with {@code updatedAt} set to when they were removed
 */
public record RowsChanged(List<ImageRow> written, List<ImageRow> removed) {

    public RowsChanged {
        written = List.copyOf(written);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return written.isEmpty() && removed.isEmpty();
    }
}
