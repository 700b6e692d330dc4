package dev.viewfold.search;

/** A link a client can open to see an image: presigned for S3, the file itself locally. */
@FunctionalInterface
public interface ImageLinks {

    String link(String imageId);

    ImageLinks AS_IS = imageId -> imageId;
}
