package io.herald.operator.cluster;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Secret;
import io.herald.contract.AppsSecret;
import io.herald.operator.apps.ClusterRefs;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Which PushClusters and PushApps a changed Secret concerns, so that its informer event reconciles
 * them. A cluster is concerned by the Secrets its pods read and by its apps' secrets, which it
 * publishes; an app by its secret and by its cluster's apps Secret, which says whether it is served.
 * An app's secret is in the app's namespace, its cluster's apps Secret in the cluster's, which may
 * be another ({@link ClusterRefs}).
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /** The Secret keys a cluster's pods read as environment variables. */
    public static Stream<SecretKeyRef> podSecrets(PushClusterSpec spec) {
        return Stream.of(spec.redis == null ? null : spec.redis.addressSecret, spec.redis == null ? null : spec.redis.passwordSecret,
                spec.mongodb == null ? null : spec.mongodb.uriSecret).filter(Objects::nonNull);
    }

    public static Set<ResourceID> clusters(Secret secret, Stream<PushCluster> clusters, Stream<PushApp> apps) {
        String namespace = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        Stream<ResourceID> byPods = clusters.filter(cluster -> namespace.equals(cluster.getMetadata().getNamespace())
                && cluster.getSpec() != null && podSecrets(cluster.getSpec()).anyMatch(ref -> name.equals(ref.name)))
                .map(ResourceID::fromResource);
        Stream<ResourceID> byApps = apps.filter(app -> namespace.equals(app.getMetadata().getNamespace()) && references(app, name))
                .flatMap(app -> ClusterRefs.of(app).stream());
        return Stream.concat(byPods, byApps).collect(Collectors.toSet());
    }

    public static Set<ResourceID> apps(Secret secret, Stream<PushApp> apps) {
        String namespace = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        ResourceID changed = new ResourceID(name, namespace);
        return apps.filter(app -> namespace.equals(app.getMetadata().getNamespace()) && references(app, name)
                || ClusterRefs.of(app).map(cluster -> new ResourceID(AppsSecret.nameFor(cluster.getName()),
                        cluster.getNamespace().orElseThrow())).filter(changed::equals).isPresent())
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static boolean references(PushApp app, String secret) {
        return app.getSpec() != null && app.getSpec().secretRef != null && secret.equals(app.getSpec().secretRef.name);
    }
}
