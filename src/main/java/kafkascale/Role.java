package kafkascale;

import java.util.Arrays;
import java.util.Locale;

/** What one JVM plays, chosen by CAMEL_ROLE. */
public enum Role {
    /** Fetch census months, chunk them, write chunks to the compute topic; exits when done. */
    READ,
    /** Count HEHOUSUT per chunk; the role that scales out (replicas up to the compute partitions). */
    COMPUTE,
    /** Sum chunk results and serve /results and /progress. */
    RESULTS,
    /** All three in one JVM, on an embedded broker when KAFKA_BROKERS is empty. */
    ALL,
    /** One-shot: print the topics table and exit. */
    TOPICLIST,
    /** One-shot: print offsets and lag of TOPIC for its consumer group and exit. */
    OFFSETS,
    /** One-shot: delete the topics in TOPIC (FORCE=true for the pipeline's own) and exit. */
    RMTOPICS;

    public static Role parse(String value) {
        String v = value == null || value.isBlank() ? "all" : value.trim();
        try {
            return Role.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown CAMEL_ROLE '" + value + "'; expected one of "
                    + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    public boolean reads() {
        return this == READ || this == ALL;
    }

    public boolean computes() {
        return this == COMPUTE || this == ALL;
    }

    /** Runs one admin command and exits, with no HTTP ports and no broker of its own. */
    public boolean oneShot() {
        return this == TOPICLIST || this == OFFSETS || this == RMTOPICS;
    }

    public boolean serves() {
        return this == RESULTS || this == ALL;
    }
}
