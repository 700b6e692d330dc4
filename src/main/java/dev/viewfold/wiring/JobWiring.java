package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.jobs.EncodeActivity;
import dev.viewfold.jobs.Jobs;
import dev.viewfold.search.DuplicateDecisions;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The jobs {@code serve} runs, what it encodes, and the decisions people take on its near-duplicates. */
@ApplicationScoped
public class JobWiring {

    @Produces
    @Singleton
    Jobs jobs() {
        return new Jobs(Clock.systemUTC());
    }

    @Produces
    @Singleton
    EncodeActivity encodeActivity() {
        return new EncodeActivity(Clock.systemUTC());
    }

    @Produces
    @Singleton
    DuplicateDecisions decisions(ObjectStores stores, ObjectMapper json) {
        return new DuplicateDecisions(stores.uploads(), json, Clock.systemUTC());
    }
}
