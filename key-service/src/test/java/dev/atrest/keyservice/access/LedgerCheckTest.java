package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The revocation ledger's walk: intact, an entry removed, rewritten or added by hand, a head moved back. */
class LedgerCheckTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final TokenMacs macs = new TokenMacs(TokenMacsTest.key(7));
    private final LedgerCheck check = new LedgerCheck(macs);
    private final LedgerHead genesis = new LedgerHead(0, macs.genesis());

    @Test
    void walk_entriesAsAppended_intactAtTheStoredHead() {
        List<LedgerCheck.Entry> entries = appended(3);

        LedgerCheck.Outcome outcome = check.walk(genesis, entries, headOf(entries));

        assertThat(outcome.intact()).as("%s", outcome.problem()).isTrue();
        assertThat(outcome.reached()).isEqualTo(headOf(entries));
    }

    @Test
    void walk_fromAPointAlreadySeen_checksOnlyWhatFollows() {
        List<LedgerCheck.Entry> entries = appended(3);

        LedgerCheck.Outcome outcome = check.walk(headOf(entries.subList(0, 1)), entries.subList(1, 3), headOf(entries));

        assertThat(outcome.intact()).isTrue();
    }

    @Test
    void walk_middleEntryDeleted_missingEntryReportedAndTheRestStillListed() {
        List<LedgerCheck.Entry> entries = new ArrayList<>(appended(3));
        LedgerCheck.Entry head = entries.get(2);
        entries.remove(1);

        LedgerCheck.Outcome outcome = check.walk(genesis, entries, new LedgerHead(3, head.mac()));

        assertThat(outcome.problem()).hasValueSatisfying(p -> assertThat(p).contains("entry 2 is missing"));
        assertThat(outcome.entries()).extracting(LedgerCheck.Entry::tokenId).contains("tok-3");
    }

    @Test
    void walk_lastEntryDeletedHeadKept_headIsNotTheLastEntry() {
        List<LedgerCheck.Entry> entries = appended(3);

        LedgerCheck.Outcome outcome = check.walk(genesis, entries.subList(0, 2), headOf(entries));

        assertThat(outcome.problem()).hasValueSatisfying(p -> assertThat(p).contains("not its last entry"));
    }

    @Test
    void walk_entryWrittenWithoutTheKey_changedOrNotWrittenByTheService() {
        List<LedgerCheck.Entry> entries = new ArrayList<>(appended(2));
        LedgerCheck.Entry forged = new LedgerCheck.Entry(3, "tok-x", T0, new byte[32]);
        entries.add(forged);

        LedgerCheck.Outcome outcome = check.walk(genesis, entries, new LedgerHead(3, forged.mac()));

        assertThat(outcome.problem()).hasValueSatisfying(p -> assertThat(p).contains("entry 3 (token tok-x)"));
    }

    @Test
    void walk_headBehindWhatWasSeen_rollback() {
        List<LedgerCheck.Entry> entries = appended(3);

        LedgerCheck.Outcome outcome = check.walk(headOf(entries), entries.subList(0, 2), headOf(entries.subList(0, 2)));

        assertThat(outcome.problem()).hasValueSatisfying(p -> assertThat(p).contains("went back from entry 3 to 2"));
        assertThat(outcome.reached()).isEqualTo(headOf(entries.subList(0, 2)));
    }

    private List<LedgerCheck.Entry> appended(int count) {
        List<LedgerCheck.Entry> entries = new ArrayList<>();
        byte[] mac = macs.genesis();
        for (int sequence = 1; sequence <= count; sequence++) {
            Instant time = T0.plusSeconds(sequence);
            mac = macs.revocationMac(mac, sequence, "tok-" + sequence, time);
            entries.add(new LedgerCheck.Entry(sequence, "tok-" + sequence, time, mac));
        }
        return entries;
    }

    private static LedgerHead headOf(List<LedgerCheck.Entry> entries) {
        LedgerCheck.Entry last = entries.get(entries.size() - 1);
        return new LedgerHead(last.sequence(), last.mac());
    }
}
