package io.herald.operator.model;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/**
 * The identity of a cluster's pods and the least they may do: keep and watch Leases (membership and
 * load), and read the one Secret that carries app credentials.
 */
public final class AccessModel {

    private AccessModel() {
    }

    public static ServiceAccount serviceAccount(ClusterNames names) {
        return new ServiceAccountBuilder()
                .withNewMetadata().withName(names.serviceAccount()).withNamespace(names.namespace())
                    .withLabels(names.labels()).endMetadata()
                .build();
    }

    public static Role role(ClusterNames names) {
        return new RoleBuilder()
                .withNewMetadata().withName(names.serviceAccount()).withNamespace(names.namespace())
                    .withLabels(names.labels()).endMetadata()
                .withRules(new PolicyRuleBuilder()
                                .withApiGroups("coordination.k8s.io").withResources("leases")
                                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("").withResources("secrets").withResourceNames(names.appsSecret())
                                .withVerbs("get", "list", "watch").build())
                .build();
    }

    public static RoleBinding roleBinding(ClusterNames names) {
        return new RoleBindingBuilder()
                .withNewMetadata().withName(names.serviceAccount()).withNamespace(names.namespace())
                    .withLabels(names.labels()).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                    .withName(names.serviceAccount()).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(names.serviceAccount())
                    .withNamespace(names.namespace()).endSubject()
                .build();
    }
}
