package dev.viewfold.events;

import java.util.List;

/**
 * One change to an image row, from the table's change stream.
 *
 * @param observations the observations to refold: the row's old and new observation when it moved
 * @param version      when the change happened, epoch ms; for a removal, no earlier than the
 *                     removed row's own last write
 * @param sequence     the stream's sequence number, to report a failure against
 * @param newRow       the row as written (INSERT, MODIFY), or null when it was removed
 * @param oldRow       the row as it was before (MODIFY, REMOVE), or null
 */
public record ImageRowChange(String space, String imageId, List<String> observations, long version, String sequence,
                             dev.viewfold.store.ImageRow newRow, dev.viewfold.store.ImageRow oldRow) {
}
