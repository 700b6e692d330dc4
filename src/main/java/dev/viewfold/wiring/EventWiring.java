package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.encode.Encoder;
import dev.viewfold.events.NotificationEncoder;
import dev.viewfold.events.S3EventParser;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class EventWiring {

    @Produces
    @Singleton
    S3EventParser s3EventParser(ObjectMapper json) {
        return new S3EventParser(json);
    }

    @Produces
    @Singleton
    NotificationEncoder notificationEncoder(ObjectStores stores, Encoder encoder) {
        return new NotificationEncoder(stores, encoder);
    }
}
