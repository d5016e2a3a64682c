package io.herald.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.contract.PodSettings;
import io.herald.local.SettingsReference;
import io.herald.local.TestConfigMappings;
import io.herald.membership.MembershipConfig;
import io.herald.streams.StreamsConfig;

/** The operator hands routers the archive's address by its name in {@link PodSettings}; the router must read it by that name. */
class RouterConfigTest {

    @Test
    void theArchiveAddressTheOperatorSetsReachesTheRoutersSettings() {
        RouterConfig config = TestConfigMappings.fromEnvironment(RouterConfig.class,
                Map.of(PodSettings.env(PodSettings.MONGODB_URI), "mongodb://archive:27017"));

        assertEquals(Optional.of("mongodb://archive:27017"), config.mongodb().uri());
    }

    @Test
    void theOperationsGuideListsExactlyTheSettingsARouterReadsWithTheirDefaults() {
        SettingsReference.assertDocumented("routers", StreamsConfig.class, MembershipConfig.class, RouterConfig.class);
    }
}
