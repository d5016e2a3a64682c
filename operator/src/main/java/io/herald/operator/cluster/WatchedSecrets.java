package io.herald.operator.cluster;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The Secrets the operator watches instead of reading them with a GET per reconcile: those
 * labelled {@value #LABEL}{@code =true}. The label keeps the informer's cache to the Secrets Herald
 * uses; an informer on every Secret would hold each namespace's Helm releases and tokens in memory.
 */
public final class WatchedSecrets {

    public static final String LABEL = "herald.io/secret";
    public static final String SELECTOR = LABEL + "=true";
    static final String EVENT_SOURCE = "watched-secrets";

    private WatchedSecrets() {
    }

    /** The informer, its events mapped to the resources that reference the changed Secret. */
    public static <P extends HasMetadata> InformerEventSource<Secret, P> eventSource(Class<P> primary,
            EventSourceContext<P> context, SecondaryToPrimaryMapper<Secret> referencing) {
        var configuration = InformerEventSourceConfiguration.from(Secret.class, primary)
                .withName(EVENT_SOURCE)
                .withLabelSelector(SELECTOR)
                .withSecondaryToPrimaryMapper(referencing)
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    /** Readers for a reconcile that reads Secrets in several namespaces, each as {@link #reader} does. */
    public static <P extends HasMetadata> SecretReaders readers(Context<P> context) {
        return new SecretReaders(namespace -> reader(context, namespace));
    }

    /** Reads a reconcile's Secrets from the informer's cache, in the primary resource's namespace. */
    @SuppressWarnings("unchecked")
    public static <P extends HasMetadata> SecretReader reader(Context<P> context, String namespace) {
        InformerEventSource<Secret, P> informer = (InformerEventSource<Secret, P>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, EVENT_SOURCE);
        return new SecretReader(name -> informer.get(new ResourceID(name, namespace)),
                name -> Optional.ofNullable(context.getClient().secrets().inNamespace(namespace).withName(name).get()));
    }
}
