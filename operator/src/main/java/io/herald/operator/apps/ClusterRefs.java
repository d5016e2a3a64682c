package io.herald.operator.apps;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Which PushCluster a PushApp names. One place for the rule that a missing
 * {@code spec.clusterNamespace} means the app's own namespace, so that the cluster's informer
 * mapping, the app's status and the Secret mappings all resolve a reference alike.
 */
public final class ClusterRefs {

    private ClusterRefs() {
    }

    /** The named cluster; empty for an app without a spec or a cluster name, which admission refuses. */
    public static Optional<ResourceID> of(PushApp app) {
        if (app.getSpec() == null || app.getSpec().cluster == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceID(app.getSpec().cluster, namespace(app)));
    }

    public static String namespace(PushApp app) {
        return Optional.ofNullable(app.getSpec()).map(spec -> spec.clusterNamespace).filter(ns -> !ns.isEmpty())
                .orElse(app.getMetadata().getNamespace());
    }

    /**
     * How one resource's status names another, such as a cluster its app or an app its cluster: by
     * name within one namespace, as before tenancy; with the namespace across two, as two teams may
     * use one name.
     */
    public static String label(HasMetadata named, String fromNamespace) {
        String namespace = named.getMetadata().getNamespace();
        return fromNamespace.equals(namespace) ? named.getMetadata().getName() : namespace + "/" + named.getMetadata().getName();
    }
}
