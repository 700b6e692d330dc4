package dev.viewfold.store;

/** Opens the object store behind a bucket name: an S3 bucket, or a folder standing in for one. */
public interface ObjectStores {

    ObjectStore bucket(String name);

    /** The bucket uploads land in by default. */
    ObjectStore uploads();
}
