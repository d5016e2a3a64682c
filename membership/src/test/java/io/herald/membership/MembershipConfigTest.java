package io.herald.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.contract.PodSettings;
import io.herald.local.SettingsReference;
import io.herald.local.TestConfigMappings;

/** The operator hands pods their Lease settings by the names in {@link PodSettings}; membership must read them by those names. */
class MembershipConfigTest {

    @Test
    void theEnvironmentVariablesTheOperatorSetsReachTheLeaseSettings() {
        MembershipConfig config = TestConfigMappings.fromEnvironment(MembershipConfig.class, Map.of(
                        PodSettings.env(PodSettings.LEASE_DURATION), "7s",
                        PodSettings.env(PodSettings.POD_UID), "3f6c-uid"));

        assertEquals(Duration.ofSeconds(7), config.lease().duration());
        assertEquals(Optional.of("3f6c-uid"), config.pod().uid());
    }

    @Test
    void everySettingOfTheModuleIsInTheOperationsGuideWithItsDefault() {
        SettingsReference.assertDocumented(null, MembershipConfig.class);
    }
}
