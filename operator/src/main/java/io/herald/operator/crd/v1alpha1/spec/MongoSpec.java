package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

public class MongoSpec {

    @Required
    @JsonPropertyDescription("Secret key holding the MongoDB connection string (mongodb:// or mongodb+srv://). "
            + "Routers (which write the archive) and gateways (which read history from it) receive it as HERALD_MONGODB_URI.")
    public SecretKeyRef uriSecret;
}
