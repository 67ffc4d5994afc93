package kafkascale.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kafkascale.census.HousingCodes;
import kafkascale.census.RecordDigest;
import kafkascale.census.RejectReason;

/**
 * Writes results-topic messages the way the reader and compute do, from a month's records held as a
 * list of HEHOUSUT codes. The expected counts come straight from that list ({@link Month#count(int)}),
 * not from the messages, so the ledger is checked against an independent count of the same input.
 */
final class LedgerScript {

    /** One record of the log: the Kafka key, the value as written, the record timestamp. */
    record Rec(String key, String json, long at) {
        Rec(ResultsMessage message, long at) {
            this(message.key(), ResultsMessage.toJson(message), at);
        }
    }

    /** A month's content: one code per record, -1 for a record compute rejects as garbled. */
    static final class Month {
        final String month;
        final int[] codes;

        Month(String month, int records, long seed) {
            this.month = month;
            this.codes = new int[records];
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < records; i++) {
                int draw = random.nextInt(100);
                codes[i] = draw < 85 ? 1 : draw < 90 ? 5 : draw < 94 ? 6 : draw < 97 ? random.nextInt(13) : -1;
            }
        }

        private Month(String month, int[] codes) {
            this.month = month;
            this.codes = codes;
        }

        /** The same month re-published with one record's code changed. */
        Month corrected(int record, int code) {
            int[] copy = codes.clone();
            copy[record] = code;
            return new Month(month, copy);
        }

        /** Independent count: records with this code. */
        long count(int code) {
            long n = 0;
            for (int c : codes) {
                if (c == code) {
                    n++;
                }
            }
            return n;
        }

        String digest() {
            RecordDigest digest = new RecordDigest();
            for (int i = 0; i < codes.length; i++) {
                digest.addRecord("record " + i + " HEHOUSUT " + codes[i]);
            }
            return digest.hex();
        }

        int chunks(int chunkLines) {
            return (codes.length + chunkLines - 1) / chunkLines;
        }

        /** What compute writes for chunk {@code seq}. */
        ChunkResult chunk(String attemptId, int chunkLines, int seq) {
            Map<Integer, Long> counts = new TreeMap<>();
            Map<String, Long> rejected = new TreeMap<>();
            int end = Math.min(codes.length, (seq + 1) * chunkLines);
            for (int i = seq * chunkLines; i < end; i++) {
                if (codes[i] >= 0) {
                    counts.merge(codes[i], 1L, Long::sum);
                } else {
                    rejected.merge(RejectReason.GARBLED_CODE.tag(), 1L, Long::sum);
                }
            }
            return new ChunkResult(attemptId, month, seq, chunkLines, end - seq * chunkLines, counts, rejected,
                    1_700_000_000_000L + seq);
        }

        List<ResultsMessage> chunks(String attemptId, int chunkLines) {
            List<ResultsMessage> out = new ArrayList<>();
            for (int seq = 0; seq < chunks(chunkLines); seq++) {
                out.add(chunk(attemptId, chunkLines, seq));
            }
            return out;
        }

        AttemptStarted start(String attemptId, String runId, String source, int chunkLines) {
            return new AttemptStarted(attemptId, runId, month, source, chunkLines, 1_700_000_000_000L);
        }

        AttemptFinished ok(String attemptId, String runId, int chunkLines) {
            return new AttemptFinished(attemptId, runId, month, AttemptFinished.Status.OK, chunks(chunkLines),
                    codes.length, digest(), 12_345, "/data/" + month, null, 1_700_000_100_000L);
        }

        AttemptFinished failed(String attemptId, String runId, int chunkLines, int chunksSent, String error) {
            return new AttemptFinished(attemptId, runId, month, AttemptFinished.Status.FAILED, chunksSent,
                    Math.min(codes.length, (long) chunksSent * chunkLines), null, 999, "/data/" + month, error,
                    1_700_000_100_000L);
        }

        /** A whole attempt as the topic would hold it: start, every chunk result, finish. */
        List<ResultsMessage> attempt(String attemptId, String runId, String source, int chunkLines) {
            List<ResultsMessage> out = new ArrayList<>();
            out.add(start(attemptId, runId, source, chunkLines));
            out.addAll(chunks(attemptId, chunkLines));
            out.add(ok(attemptId, runId, chunkLines));
            return out;
        }
    }

    static RunStarted runStarted(String runId, String... sources) {
        return new RunStarted(runId, List.of(sources), 1_700_000_000_000L);
    }

    static RunFinished runFinished(String runId, RunFinished.SourceOutcome... outcomes) {
        return new RunFinished(runId, List.of(outcomes), 1_700_000_000_000L, 1_700_000_200_000L);
    }

    static RunFinished.SourceOutcome ok(String source, Month month, String attemptId) {
        return new RunFinished.SourceOutcome(source, RunFinished.SourceStatus.OK, month.month, attemptId, null);
    }

    static RunFinished.SourceOutcome failed(String source, Month month, String attemptId, String error) {
        return new RunFinished.SourceOutcome(source, RunFinished.SourceStatus.FAILED,
                month == null ? null : month.month, attemptId, error);
    }

    /** The expected /results counts of one year, from the months' own codes. */
    static long[] expectedYear(Month... months) {
        long[] sum = new long[HousingCodes.COUNT];
        for (Month m : months) {
            for (int c = 0; c < HousingCodes.COUNT; c++) {
                sum[c] += m.count(c);
            }
        }
        return sum;
    }

    private LedgerScript() {
    }
}
