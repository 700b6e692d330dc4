/**
 * The graph index: a hierarchical navigable small-world graph over the slots of a
 * {@link dev.viewfold.search.hnsw.VectorSlab}. {@link dev.viewfold.search.hnsw.OnHeapHnswGraph}
 * holds the links, {@link dev.viewfold.search.hnsw.HnswGraphBuilder} adds and reconnects nodes,
 * {@link dev.viewfold.search.hnsw.HnswGraphSearcher} walks it, and
 * {@link dev.viewfold.search.hnsw.HnswGraphFormat} writes and reads it. Hot loops run over primitive
 * arrays with reused buffers; nothing here knows of rows, ids or filters beyond an
 * {@code IntPredicate} over slots.
 */
package dev.viewfold.search.hnsw;
