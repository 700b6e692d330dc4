package dev.viewfold.wiring;

import dev.viewfold.jobs.Jobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The registry of the jobs {@code serve} runs. */
@ApplicationScoped
public class JobWiring {

    @Produces
    @Singleton
    Jobs jobs() {
        return new Jobs(Clock.systemUTC());
    }
}
