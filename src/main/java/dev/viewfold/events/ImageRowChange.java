package dev.viewfold.events;

import java.util.List;

/**
 * One change to an image row, from the table's change stream.
 *
 * @param observations the observations to refold: the row's old and new observation when it moved
 * @param version      when the change happened, epoch ms
 * @param sequence     the stream's sequence number, to report a failure against
 */
public record ImageRowChange(String space, String imageId, List<String> observations, long version, String sequence) {
}
