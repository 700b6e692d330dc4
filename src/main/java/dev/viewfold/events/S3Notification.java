package dev.viewfold.events;

import java.util.List;

/**
 * What an S3 event notification asks for: objects to encode, and how many records were ignored
 * (deletions, test events, other event types).
 */
public record S3Notification(List<ObjectCreated> created, int ignored) {
}
