package io.herald.operator.model;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

/** The identity one tier's pods run as, and the Role bound to it. */
public record PodAccess(ServiceAccount serviceAccount, Role role, RoleBinding roleBinding) {
}
