package io.herald.operator.model;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/**
 * The identity of each tier's pods and the least it may do. The rules are the calls the pods'
 * code makes, and no more (ClusterPlanTest pins them):
 * <ul>
 *   <li>membership's OwnLease gets, creates and updates the pod's own Lease (its name is the pod's,
 *       unknown in advance, so no resourceNames); it never deletes or patches;</li>
 *   <li>membership's PeerView lists and watches the cluster's Leases by label;</li>
 *   <li>the gateway's SecretApps informs on the apps Secret alone, which is a list and a watch with a
 *       {@code metadata.name} field selector: RBAC then checks the name against resourceNames.
 *       Routers read no Secret.</li>
 * </ul>
 */
public final class AccessModel {

    private AccessModel() {
    }

    public static PodAccess of(ClusterNames names, Component component) {
        String name = names.serviceAccount(component);
        return new PodAccess(
                new ServiceAccountBuilder()
                        .withNewMetadata().withName(name).withNamespace(names.namespace())
                            .withLabels(names.labels(component)).endMetadata()
                        .build(),
                new RoleBuilder()
                        .withNewMetadata().withName(name).withNamespace(names.namespace())
                            .withLabels(names.labels(component)).endMetadata()
                        .withRules(rules(names, component))
                        .build(),
                new RoleBindingBuilder()
                        .withNewMetadata().withName(name).withNamespace(names.namespace())
                            .withLabels(names.labels(component)).endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(names.namespace()).endSubject()
                        .build());
    }

    private static List<PolicyRule> rules(ClusterNames names, Component component) {
        List<PolicyRule> rules = new ArrayList<>(List.of(
                new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("create", "get", "update").build(),
                new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("list", "watch").build()));
        if (component == Component.GATEWAY) {
            rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                    .withResourceNames(names.appsSecret()).withVerbs("list", "watch").build());
        }
        return rules;
    }
}
