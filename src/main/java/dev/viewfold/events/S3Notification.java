package dev.viewfold.events;

import java.util.List;

/**
 * What an S3 event notification asks for: objects to encode, objects removed (their rows go, once
 * the object is really gone), and how many records were ignored (test events, other event types).
 */
public record S3Notification(List<ObjectCreated> created, List<ObjectCreated> removed, int ignored) {
}
