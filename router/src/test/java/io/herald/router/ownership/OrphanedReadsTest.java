package io.herald.router.ownership;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrphanedReadsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void withoutAFailureNoReadIsSuspectAndPendingEntriesAreCheckedEveryFiveSeconds() {
        OrphanedReads orphans = new OrphanedReads(0);
        assertFalse(orphans.suspect(SECOND));
        assertFalse(orphans.checkDue(4 * SECOND));
        assertTrue(orphans.checkDue(5 * SECOND));
        assertFalse(orphans.checkDue(6 * SECOND));
        assertTrue(orphans.checkDue(10 * SECOND));
    }

    @Test
    void readsAreSuspectForTenSecondsAfterTheLastFailureAndTheWindowClosesWithACheck() {
        OrphanedReads orphans = new OrphanedReads(0);
        orphans.interrupted(SECOND);
        assertTrue(orphans.suspect(2 * SECOND));
        orphans.interrupted(3 * SECOND);
        assertTrue(orphans.suspect(12 * SECOND));
        assertTrue(orphans.checkDue(5 * SECOND), "the periodic check goes on meanwhile");
        assertFalse(orphans.checkDue(9 * SECOND));
        assertFalse(orphans.suspect(13 * SECOND));
        assertTrue(orphans.checkDue(13 * SECOND), "the window closed");
        assertFalse(orphans.checkDue(14 * SECOND), "once");
    }

    @Test
    void askingWhetherACheckIsWantedDoesNotStartIt() {
        OrphanedReads orphans = new OrphanedReads(0);
        assertFalse(orphans.checkWanted(4 * SECOND));
        assertTrue(orphans.checkWanted(5 * SECOND));
        assertTrue(orphans.checkWanted(6 * SECOND), "still wanted until a check starts");
        assertTrue(orphans.checkDue(6 * SECOND));
        assertFalse(orphans.checkWanted(7 * SECOND));
        orphans.interrupted(8 * SECOND);
        assertTrue(orphans.checkDue(11 * SECOND));
        assertTrue(orphans.checkDue(16 * SECOND));
        assertFalse(orphans.checkWanted(17 * SECOND));
        assertTrue(orphans.checkWanted(18 * SECOND), "the window closed");
    }

    @Test
    void theNanosecondClockMayWrapAround() {
        long start = Long.MAX_VALUE - SECOND;
        OrphanedReads orphans = new OrphanedReads(start);
        orphans.interrupted(start);
        assertTrue(orphans.suspect(start + 2 * SECOND));
        assertTrue(orphans.checkDue(start + 11 * SECOND));
    }
}
