/**
 * Embedding spaces: {@link dev.viewfold.space.Space} (a model's space, or a trained head's derived
 * from it) and {@link dev.viewfold.space.Spaces}, which says which spaces a deployment has and
 * refuses any other with one message ({@link dev.viewfold.space.UnknownSpace}).
 */
package dev.viewfold.space;
