package dev.viewfold.events;

/** One object-created record of an S3 event notification, key already URL-decoded. */
public record ObjectCreated(String bucket, String key, long size, String eTag, String versionId, String sequencer) {
}
