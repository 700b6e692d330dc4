package dev.viewfold.wiring;

import dev.viewfold.config.ViewfoldConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Optional;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS SDK v2 clients, built only when something asks for them (the embedded default never does).
 * The JDK's URL connection client keeps the native image small and needs no CRT.
 */
@ApplicationScoped
public class AwsClients {

    @Produces
    @Singleton
    @DefaultBean
    S3Client s3(ViewfoldConfig config) {
        var b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        configure(b, config.aws(), config.aws().s3Endpoint());
        // Local S3 servers (S3Proxy) have no virtual-host DNS.
        config.aws().s3Endpoint().or(() -> config.aws().endpoint()).ifPresent(e -> b.forcePathStyle(true));
        return b.build();
    }

    @Produces
    @Singleton
    @DefaultBean
    DynamoDbClient dynamoDb(ViewfoldConfig config) {
        var b = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        configure(b, config.aws(), config.aws().dynamodbEndpoint());
        return b.build();
    }

    @Produces
    @Singleton
    @DefaultBean
    SqsClient sqs(ViewfoldConfig config) {
        var b = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        configure(b, config.aws(), config.aws().sqsEndpoint());
        return b.build();
    }

    /** Signs links to images for search hits; signing is local, it makes no request. */
    @Produces
    @Singleton
    @DefaultBean
    S3Presigner s3Presigner(ViewfoldConfig config) {
        var b = S3Presigner.builder();
        config.aws().region().ifPresent(r -> b.region(Region.of(r)));
        config.aws().s3Endpoint().or(() -> config.aws().endpoint()).ifPresent(e -> b.endpointOverride(e)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return b.build();
    }

    void close(@Disposes S3Presigner c) {
        c.close();
    }

    void close(@Disposes S3Client c) {
        c.close();
    }

    void close(@Disposes DynamoDbClient c) {
        c.close();
    }

    void close(@Disposes SqsClient c) {
        c.close();
    }

    private static void configure(AwsClientBuilder<?, ?> b, ViewfoldConfig.Aws aws, Optional<URI> serviceEndpoint) {
        aws.region().ifPresent(r -> b.region(Region.of(r)));
        serviceEndpoint.or(aws::endpoint).ifPresent(b::endpointOverride);
    }
}
