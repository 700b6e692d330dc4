package dev.viewfold.cli;

import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.OnnxEmbeddingModel;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Loads the model when a command first needs it, so that a bad model is reported in one clear line
 * (a {@code ModelSpecException}, exit 2) before anything is read, and commands that never encode
 * never load it.
 */
@Dependent
class EncoderLoader {

    @Inject
    Instance<OnnxEmbeddingModel> model;

    @Inject
    Instance<Encoder> encoder;

    Encoder encoder() {
        model.get().dimension(); // loads and checks the model: a ModelSpecException names the problem
        return encoder.get();
    }
}
