package kafkascale.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import kafkascale.scaling.GroupSnapshot.Member;
import org.junit.jupiter.api.Test;

/** The window fed with made-up samples: rates, membership events, failures and bounds. */
class ScalingWindowTest {

    static final int PARTITIONS = 10;

    ScalingWindow window = new ScalingWindow(Duration.ofMinutes(15), Duration.ofSeconds(2), Duration.ofSeconds(10));

    static Member member(String clientId, int... partitions) {
        return new Member(clientId + "-" + java.util.UUID.nameUUIDFromBytes(clientId.getBytes()), clientId, "/127.0.0.1",
                IntStream.of(partitions).boxed().toList());
    }

    /** A settled sample where every partition has committed {@code committed[p]} of {@code end} chunks. */
    static GroupSnapshot sample(long at, String state, long[] committed, long end, Member... members) {
        Map<Integer, Long> c = new HashMap<>();
        Map<Integer, Long> e = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            c.put(p, committed[p]);
            e.put(p, end);
        }
        return new GroupSnapshot(at, true, null, state, PARTITIONS, List.of(members), c, e);
    }

    static long[] offsets(long each) {
        long[] o = new long[PARTITIONS];
        java.util.Arrays.fill(o, each);
        return o;
    }

    @Test
    void noSampleYetIsWaiting() {
        ScalingView view = window.view("compute", "g", 0);
        assertEquals("waiting", view.status());
        assertNull(view.current());
        assertTrue(view.samples().isEmpty());
        assertTrue(Double.isNaN(window.currentMembers()));
    }

    @Test
    void groupAndMemberRatesComeFromCommittedOffsetGrowth() {
        Member one = member("compute-1", 0, 1, 2, 3, 4);
        Member two = member("compute-2", 5, 6, 7, 8, 9);
        long[] c = offsets(0);
        for (int i = 0; i <= 5; i++) {
            long at = 1_000_000 + i * 2_000L;
            window.add(sample(at, "Stable", c.clone(), 1_000, one, two));
            // compute-1 commits 4 chunks per partition per 2 s, compute-2 only 1
            for (int p = 0; p < 5; p++) {
                c[p] += 4;
            }
            for (int p = 5; p < 10; p++) {
                c[p] += 1;
            }
        }
        ScalingView view = window.view("compute", "g", 1_010_000);
        assertEquals("ok", view.status());
        ScalingView.Current now = view.current();
        // the latest sample (t=10 s) against the oldest within 10 s (t=0): 5 x 20 + 5 x 5 = 125 chunks in 10 s
        assertEquals(12.5, now.chunksPerSecond());
        assertEquals(2, now.memberCount());
        assertEquals(List.of("compute-1", "compute-2"), now.members().stream().map(ScalingView.Member::label).toList());
        assertEquals(10.0, now.members().get(0).chunksPerSecond()); // 5 partitions x 4 chunks / 2 s
        assertEquals(2.5, now.members().get(1).chunksPerSecond());
        assertEquals(10 * 1_000 - (5 * 20 + 5 * 5), now.lag());
        assertEquals(5 * 20 + 5 * 5, now.committed());
        assertEquals(10_000, now.logEnd());
        assertNull(view.samples().get(0).chunksPerSecond(), "no rate from a single sample");
        assertEquals(12.5, window.currentChunksPerSecond());
        assertEquals(2.0, window.currentMembers());
        assertEquals(now.lag(), (long) window.currentLag());
    }

    @Test
    void aJoiningMemberIsAnEventWithTheNewSplitAndRatesRestartAtTheRebalance() {
        Member alone = member("compute-1", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        window.add(sample(0, "Empty", offsets(0), 100));
        window.add(sample(2_000, "Stable", offsets(0), 100, alone));
        window.add(sample(4_000, "Stable", offsets(10), 100, alone));
        Member a = member("compute-1", 0, 1, 2, 3);
        Member b = member("compute-2", 4, 5, 6);
        Member c = member("compute-3", 7, 8, 9);
        window.add(sample(6_000, "PreparingRebalance", offsets(12), 100, alone, b, c));
        window.add(sample(8_000, "Stable", offsets(14), 100, a, b, c));

        ScalingView view = window.view("compute", "g", 8_000);
        assertEquals(List.of("joined", "joined"), view.events().stream().map(ScalingView.Event::kind).toList());
        ScalingView.Event first = view.events().get(0);
        assertEquals("compute-1 joined: 10 partitions → 10", first.text());
        assertEquals(2_000, first.at());
        ScalingView.Event second = view.events().get(1);
        assertEquals("compute-2, compute-3 joined: 10 partitions → 4/3/3", second.text());
        assertEquals(8_000, second.at(), "the change is recorded once the group settled");
        assertEquals(List.of(7, 8, 9), second.assignment().get("compute-3"));
        // compute-1 owns 0-3 only since t=8 s: no rate yet; compute-2 owned 4-6 since t=6 s: 3 x 2 chunks / 2 s
        assertNull(view.current().members().get(0).chunksPerSecond());
        assertEquals(3.0, view.current().members().get(1).chunksPerSecond());
        assertEquals("ok", view.status());
        assertEquals(3, view.samples().get(3).members());
        assertEquals("PreparingRebalance", view.samples().get(3).state());
    }

    @Test
    void leavingAndTheGroupEmptyingAreEvents() {
        Member a = member("compute-1", 0, 1, 2, 3, 4);
        Member b = member("compute-2", 5, 6, 7, 8, 9);
        window.add(sample(0, "Stable", offsets(0), 100, a, b));
        window.add(sample(2_000, "Stable", offsets(1), 100, member("compute-1", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        window.add(sample(4_000, "Empty", offsets(2), 100));
        ScalingView view = window.view("compute", "g", 4_000);
        assertEquals(List.of("compute-1, compute-2 in the group: 10 partitions → 5/5",
                        "compute-2 left: 10 partitions → 10",
                        "compute-1 left: 10 partitions → no members"),
                view.events().stream().map(ScalingView.Event::text).toList());
        assertEquals(List.of("seen", "left", "left"), view.events().stream().map(ScalingView.Event::kind).toList());
        assertEquals("empty", view.status());
        assertEquals(0, view.current().memberCount());
        assertEquals(0.0, window.currentMembers());
    }

    @Test
    void sameMembersWithOtherPartitionsIsAReassignment() {
        window.add(sample(0, "Stable", offsets(0), 1, member("c", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        window.add(sample(2_000, "Stable", offsets(0), 1, member("c", 0, 1, 2, 3, 4, 5, 6, 7, 8)));
        window.add(sample(4_000, "Stable", offsets(0), 1, member("c", 0, 1, 2, 3, 4, 5, 6, 7, 8)));
        List<ScalingView.Event> events = window.view("compute", "g", 4_000).events();
        assertEquals(2, events.size());
        assertEquals("reassigned", events.get(1).kind());
        assertEquals("partitions reassigned: 10 partitions → 9", events.get(1).text());
    }

    @Test
    void anUnreachableBrokerKeepsTheLastSamplesAndSaysSo() {
        Member a = member("compute-1", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        window.add(sample(0, "Stable", offsets(0), 50, a));
        window.add(sample(2_000, "Stable", offsets(2), 50, a));
        window.add(GroupSnapshot.unavailable(4_000, "Kafka did not answer within 1500 ms"));
        window.add(GroupSnapshot.unavailable(6_000, "Kafka did not answer within 1500 ms"));

        ScalingView view = window.view("compute", "g", 6_000);
        assertEquals("unavailable", view.status());
        assertEquals("Kafka did not answer within 1500 ms", view.error());
        assertEquals(6_000L, view.lastSampleAt());
        assertEquals(2_000L, view.lastAvailableAt());
        assertTrue(view.current().stale());
        assertEquals(1, view.current().memberCount(), "the last members stay");
        assertEquals(4, view.samples().size());
        assertFalse(view.samples().get(3).available());
        assertNull(view.samples().get(3).members());
        assertTrue(Double.isNaN(window.currentMembers()), "gauges do not pretend");
        assertTrue(Double.isNaN(window.currentLag()));

        // back: the rate spans the gap, from t=0: 10 partitions x 6 chunks in 8 s
        window.add(sample(8_000, "Stable", offsets(6), 50, a));
        view = window.view("compute", "g", 8_000);
        assertEquals("ok", view.status());
        assertFalse(view.current().stale());
        assertEquals(7.5, view.current().chunksPerSecond());
        assertEquals(7.5, view.current().members().get(0).chunksPerSecond());
        assertEquals(1, view.events().size(), "an outage is no membership change");
    }

    @Test
    void memoryIsBoundedWhateverTheRunLength() {
        ScalingWindow small = new ScalingWindow(Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(10));
        long t = 0;
        for (int i = 0; i < 5_000; i++, t += 2_000) {
            // members come and go with new ids all the time
            Member m = new Member("id-" + i, "compute-" + (i % 7), "h" + i, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            small.add(i % 3 == 0 ? GroupSnapshot.unavailable(t, "down") : sample(t, "Stable", offsets(i), i + 1, m));
        }
        long oldestKept = t - 2_000 - 60_000;
        ScalingView view = small.view("compute", "g", t);
        assertTrue(small.sampleCount() <= small.maxSamples(), small.sampleCount() + " samples");
        assertTrue(view.samples().get(0).at() >= oldestKept, "only the last minute");
        assertTrue(view.events().size() <= ScalingWindow.MAX_EVENTS);
        assertFalse(view.events().isEmpty());
        assertTrue(view.events().stream().allMatch(e -> e.at() >= oldestKept));
        assertTrue(small.labelCount() <= 1, "labels of members gone are dropped");
        assertEquals(2 * 30 + 4, small.maxSamples());
        ScalingWindow tiny = new ScalingWindow(Duration.ofDays(365), Duration.ofMillis(1), Duration.ofSeconds(1));
        assertEquals(ScalingWindow.SAMPLES_CEILING, tiny.maxSamples());
    }

    @Test
    void repeatedClientIdsGetLabelsThatTellThemApart() {
        Member x = new Member("consumer-g-1-aaaa1111", "consumer-g-1", "/10.0.0.1", List.of(0, 1, 2, 3, 4));
        Member y = new Member("consumer-g-1-bbbb2222", "consumer-g-1", "/10.0.0.2", List.of(5, 6, 7));
        Member z = new Member("consumer-g-1-cccc3333", "consumer-g-1", "/10.0.0.2", List.of(8, 9));
        window.add(sample(0, "Stable", offsets(0), 1, x, y, z));
        List<String> labels = new ArrayList<>(window.view("compute", "g", 0).current().members().stream()
                .map(ScalingView.Member::label).toList());
        assertEquals(List.of("consumer-g-1#bb2222", "consumer-g-1#cc3333", "consumer-g-1@10.0.0.1"), labels);
    }

    @Test
    void samplesMustComeInTimeOrder() {
        window.add(GroupSnapshot.unavailable(10, "x"));
        assertThrows(IllegalArgumentException.class, () -> window.add(GroupSnapshot.unavailable(5, "x")));
    }

    @Test
    void theViewIsTheJsonThePageReads() throws Exception {
        window.add(sample(0, "Stable", offsets(0), 3, member("compute-1", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        window.add(GroupSnapshot.unavailable(2_000, "down"));
        JsonNode json = new ObjectMapper().valueToTree(window.view("compute", "kafka-scale-compute", 2_000));
        assertEquals("unavailable", json.get("status").asText());
        assertEquals("compute", json.get("topic").asText());
        assertEquals(900_000, json.get("windowMs").asLong());
        assertEquals("compute-1", json.at("/current/members/0/label").asText());
        assertEquals(10, json.at("/current/members/0/partitions").size());
        assertTrue(json.at("/current/members/0/chunksPerSecond").isNull());
        assertEquals(30, json.at("/current/lag").asLong());
        assertEquals(2, json.get("samples").size());
        assertTrue(json.at("/samples/1/lag").isNull());
        assertEquals("compute-1 in the group: 10 partitions → 10", json.at("/events/0/text").asText());
        assertEquals(0, json.at("/events/0/at").asLong());
    }
}
