package io.herald.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.herald.benchmark.Fault;
import io.herald.benchmark.FaultHarness;
import io.herald.benchmark.FaultReport;

/**
 * The quick fault-injection suite: one real cluster (two gateways, two routers, Redis, the local
 * API server; Leases of 10 s) shared by every scenario, 100 signed publications a second over 16
 * channels, a raw Pusher subscriber on each gateway that reconnects to the other when its
 * gateway dies. Each fault must lose, duplicate and reorder no acknowledged publication, and the
 * cluster must serve every subscriber on every channel again afterwards; only Redis restarted
 * empty may lose what it forgot. The long version is {@code ./herald benchmark faults}.
 *
 * <p>A scenario that breaks its promise in some runs may be tagged {@code known-gap} until
 * fixed: the default build leaves that tag out, {@code -Dherald.excluded-groups=none} runs it
 * (see docs/reliability.md). None is tagged today. The table of every scenario run is printed and written to
 * {@code target/fault-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {

    /** Longer than other system tests' 5 s: on a loaded 2-core machine, gateways were seen to miss a 5 s Lease's renewals. */
    private static final Duration LEASE = Duration.ofSeconds(10);
    /** How soon a cluster whose Redis came back empty must serve new publications again. */
    private static final Duration EMPTY_REDIS_RECOVERY = Duration.ofSeconds(10);
    private static final List<FaultReport> REPORTS = new ArrayList<>();
    private static FaultHarness harness;

    @BeforeAll
    static void startCluster() {
        harness = FaultHarness.start(() -> TestClusters.start(FaultInjectionTest.class, 2, 2, LEASE, FaultHarness.NODE_SETTINGS),
                new FaultHarness.Settings(16, 100, 1, Duration.ofSeconds(2), LEASE), System.out);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (harness != null) {
            harness.close();
        }
        String summary = FaultReport.summary(REPORTS);
        System.out.println(summary);
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        Files.writeString(home.resolve("system-tests/target/fault-report.md"), summary);
    }

    private static FaultReport run(Fault fault) throws Exception {
        FaultReport report = harness.run(fault);
        REPORTS.add(report);
        return report;
    }

    private static void assertKept(FaultReport report) {
        assertEquals(List.of(), report.brokenPromises(), report + "\n" + report.perChannel());
    }

    @Test
    @Order(1)
    void aRouterKilledWithSigkillLosesDuplicatesAndReordersNothing() throws Exception {
        assertKept(run(Fault.ROUTER_KILL));
    }

    @Test
    @Order(2)
    void aGatewayKilledWithSigkillLosesNothingForClientsThatReconnectToTheOther() throws Exception {
        assertKept(run(Fault.GATEWAY_KILL));
    }

    @Test
    @Order(3)
    void aRouterFrozenLongerThanItsLeaseIsFencedWhenItWakes() throws Exception {
        assertKept(run(Fault.ROUTER_STOP));
    }

    @Test
    @Order(4)
    void redisRestartedWithItsAppendOnlyFileLosesNothing() throws Exception {
        assertKept(run(Fault.REDIS_RESTART_AOF));
    }

    @Test
    @Order(5)
    void redisPausedForFiveSecondsLosesNothing() throws Exception {
        assertKept(run(Fault.REDIS_PAUSE));
    }

    @Test
    @Order(6)
    void theKubernetesApiUnreachableForTwentySecondsLosesNothing() throws Exception {
        assertKept(run(Fault.API_UNREACHABLE));
    }

    @Test
    @Order(7)
    void aGatewayRestartedUnderItsNodeIdRemovesItsFormerPresenceMembers() throws Exception {
        assertKept(run(Fault.GATEWAY_RESTART));
    }

    @Test
    @Order(8)
    void redisRestartedEmptySignalsTheLossAndServesAgainWithinSeconds() throws Exception {
        FaultReport report = run(Fault.REDIS_RESTART_EMPTY);
        assertEquals(List.of(), report.brokenPromises(), report + "\n" + report.perChannel());
        assertTrue(report.recoveryMillis() <= EMPTY_REDIS_RECOVERY.toMillis(),
                "served again only after " + report.recoveryMillis() + " ms: " + report);
        assertTrue(report.lost() == 0 || report.lossSignals() > 0, "lost " + report.lost() + " without telling the clients: " + report);
    }
}
