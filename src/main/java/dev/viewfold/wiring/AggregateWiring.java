package dev.viewfold.wiring;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.CollectionEvidence;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.FoldStrategy;
import dev.viewfold.aggregate.GeneralizedMaxPoolingStrategy;
import dev.viewfold.aggregate.KMeansStrategy;
import dev.viewfold.aggregate.MaxStrategy;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.SequenceStrategy;
import dev.viewfold.aggregate.SpaceSpreads;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.IndexedObservations;
import dev.viewfold.search.SearchServices;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

@ApplicationScoped
public class AggregateWiring {

    @Produces
    @Singleton
    FoldStrategies strategies(ViewfoldConfig config) {
        ViewfoldConfig.Aggregate a = config.aggregate();
        List<FoldStrategy> all = new ArrayList<>(List.of(new MeanStrategy(), new MaxStrategy(),
                new RobustStrategy(new RobustStrategy.Settings(a.outlierMads(), a.outlierFloor(), a.lookFrom(),
                        a.homeMargin(), a.straySpreads())), new KMeansStrategy(),
                new GeneralizedMaxPoolingStrategy()));
        a.sequenceModel().ifPresent(path -> all.add(new SequenceStrategy(path)));
        return new FoldStrategies(all, a.strategy());
    }

    /** Where written rows go to be folded: the aggregator when folding is in process, nowhere when the table's stream folds. */
    static Consumer<RowsChanged> foldAfter(ViewfoldConfig config, Aggregator aggregator) {
        return config.aggregate().trigger() == ViewfoldConfig.AggregateTrigger.IN_PROCESS
                ? aggregator::afterRowsChanged : changed -> { };
    }

    /**
     * Folds weigh the rest of their space unless configured not to: the spread from the stored folds,
     * the other observations through the search index (resolved at the first question: search
     * wiring needs the encoder, which folds after it writes).
     */
    @Produces
    @Singleton
    Aggregator aggregator(VectorTable table, FoldStrategies strategies, ViewfoldConfig config,
                          Provider<SearchServices> search) {
        ViewfoldConfig.Aggregate a = config.aggregate();
        CollectionEvidence.Source evidence = a.collectionEvidence()
                ? CollectionEvidence.Source.of(new SpaceSpreads(table, a.spreadRefresh(), Clock.systemUTC()),
                        new IndexedObservations(search::get))
                : CollectionEvidence.Source.NONE;
        return new Aggregator(table, strategies, Clock.systemUTC(), evidence);
    }
}
