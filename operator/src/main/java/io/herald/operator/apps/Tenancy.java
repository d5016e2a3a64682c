package io.herald.operator.apps;

import java.util.List;
import java.util.Optional;

import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;

/**
 * Whether a PushCluster serves a namespace's PushApps: its own always, others only when its owner
 * lists them. The cluster's apps Secret and each app's status both go through here, so that an app
 * is never reported served while the cluster leaves it out, or the reverse.
 */
public final class Tenancy {

    private Tenancy() {
    }

    public static boolean shares(PushCluster cluster, String namespace) {
        return namespace.equals(cluster.getMetadata().getNamespace())
                || Optional.ofNullable(cluster.getSpec()).map(spec -> spec.tenancy).map(tenancy -> tenancy.allowedNamespaces)
                        .filter(allowed -> allowed.contains(namespace)).isPresent();
    }

    /** The apps naming the cluster that it serves, the others left out before any of their rules is read. */
    public static List<PushApp> served(PushCluster cluster, List<PushApp> naming) {
        return naming.stream().filter(app -> shares(cluster, app.getMetadata().getNamespace())).toList();
    }

    /** Why an app of that namespace is not served, for its status. */
    static String notShared(PushCluster cluster, String namespace) {
        return "PushCluster " + cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName()
                + " does not serve PushApps of namespace " + namespace + ": its owner lists the namespaces it serves in "
                + "spec.tenancy.allowedNamespaces";
    }
}
