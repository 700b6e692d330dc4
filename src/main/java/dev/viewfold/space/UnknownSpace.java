package dev.viewfold.space;

import dev.viewfold.errors.Refused;

import java.util.List;

/** A request named a space this deployment does not have: the same 404 and message on every route. */
public final class UnknownSpace extends Refused {

    UnknownSpace(String asked, Space model, List<Space> heads) {
        super(Kind.NOT_FOUND, "unknown space '" + echo(asked) + "': this deployment has " + model.id()
                + (heads.isEmpty() ? " (no head is trained on it yet)"
                        : " and the spaces of the heads trained on it: " + heads.stream().map(Space::id).toList()));
    }
}
