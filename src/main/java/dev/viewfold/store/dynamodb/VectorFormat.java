package dev.viewfold.store.dynamodb;

/**
 * How the DynamoDB tables store vectors. Reading accepts both whatever is configured, so a table
 * holding rows of either (a deployed float32 table taking float16 writes) reads whole.
 */
public enum VectorFormat {
    /**
     * 2 bytes a dimension, attribute {@code vector_f16}: each component rounded to the nearest half
     * (relative change ≤ 2<sup>-11</sup>; a unit vector keeps a cosine above 0.9999 to itself). A
     * vector with a component beyond ±65504 is written as float32 instead.
     */
    FLOAT16,
    /** 4 bytes a dimension, attribute {@code vector}: exact. What every table held before float16. */
    FLOAT32
}
