package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.classify.ClassifyService;
import dev.viewfold.classify.GroupClassifiers;
import dev.viewfold.classify.LinearClassifierStore;
import dev.viewfold.classify.LinearSettings;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.heads.TrainRun;
import dev.viewfold.labels.LabelEditor;
import dev.viewfold.search.SearchServices;
import dev.viewfold.space.Space;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/** Heads, classifiers and label edits, configured from {@code viewfold.groups.*}; heads live in the uploads bucket. */
@ApplicationScoped
public class GroupsWiring {

    @Produces
    @Singleton
    HeadStore heads(ObjectStores stores, ObjectMapper json) {
        return new HeadStore(stores.uploads(), json);
    }

    @Produces
    @Singleton
    TrainRun trainRun(VectorTable table, HeadStore heads, ViewfoldConfig config, Aggregator aggregator,
                      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new TrainRun(table, heads, Clock.systemUTC(), AggregateWiring.foldAfter(config, aggregator),
                time -> Thread.sleep(time.toMillis()), version, config.groups().heldOutFraction(), config.groups().seed());
    }

    @Produces
    @Singleton
    GroupClassifiers classifiers(VectorTable table, ViewfoldConfig config, ObjectStores stores, HeadStore heads) {
        ViewfoldConfig.Groups g = config.groups();
        return new GroupClassifiers(table, new GroupClassifiers.Settings(g.k(), g.heldOutFraction(), g.seed(),
                g.recheck(), LinearSettings.defaults(g.seed()).withRejectShare(g.rejectShare())), Clock.systemUTC(),
                new LinearClassifierStore(stores.uploads()), space -> heads.heldOut(Space.parse(space)));
    }

    @Produces
    @Singleton
    ClassifyService classify(SearchServices services, GroupClassifiers classifiers) {
        return new ClassifyService(services, classifiers);
    }

    /** Edits fold in process when folding is in process; on AWS the table's stream refolds. */
    @Produces
    @Singleton
    LabelEditor labelEditor(VectorTable table, ViewfoldConfig config, Aggregator aggregator) {
        return new LabelEditor(table, Clock.systemUTC(), AggregateWiring.foldAfter(config, aggregator));
    }
}
