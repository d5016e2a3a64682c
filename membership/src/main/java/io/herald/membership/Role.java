package io.herald.membership;

/** What a member of the cluster does; written into its Lease as the {@code herald.io/role} label. */
public enum Role {
    GATEWAY, ROUTER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Role fromLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        return null;
    }
}
