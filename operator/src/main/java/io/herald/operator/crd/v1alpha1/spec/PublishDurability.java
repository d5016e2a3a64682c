package io.herald.operator.crd.v1alpha1.spec;

import java.util.Locale;

/** When a gateway answers a publish: once Redis has it, or once a Redis replica has it too. */
public enum PublishDurability {
    Immediate,
    Replicated;

    /** The value gateways read from {@code herald.publish.durability}. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
