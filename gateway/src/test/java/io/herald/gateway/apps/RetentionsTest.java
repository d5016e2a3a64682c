package io.herald.gateway.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.contract.PodSettings;
import io.herald.gateway.GatewayConfig;
import io.herald.local.TestConfigMappings;
import io.herald.streams.Publication;
import io.herald.streams.Retention;

class RetentionsTest {

    private static final App ARCHIVING = Apps.parse("[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\","
            + "\"archive\":[{\"prefix\":\"orders-\",\"retentionSeconds\":3600}]}]", "apps.json").get(0);

    private static Retentions retentions(Optional<String> mongoUri) {
        Retentions retentions = new Retentions();
        retentions.config = TestConfigMappings.fromProperties(GatewayConfig.class,
                mongoUri.map(uri -> Map.of(PodSettings.MONGODB_URI, uri)).orElse(Map.of()));
        return retentions;
    }

    private static Retention kept(Retentions retentions) {
        return retentions.applied(ARCHIVING, new Publication("1", "orders-1", "e", "{}", null)).retention();
    }

    @Test
    void archiveRulesApplyOnlyWhenAMongoDbIsConfigured() {
        assertEquals(new Retention(100, 120, 3600), kept(retentions(Optional.of("mongodb://mongo:27017"))));
        // Nobody would drain the archive streams: they would only fill Redis up to their budget.
        assertEquals(new Retention(100, 120, 0), kept(retentions(Optional.empty())));
    }
}
