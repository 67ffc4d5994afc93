package kafkascale.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import kafkascale.census.ByteCountingInputStream;
import kafkascale.census.CensusStreams;
import kafkascale.census.Chunk;
import kafkascale.census.ChunkTally;
import kafkascale.census.Chunker;
import kafkascale.census.Sha256;

/**
 * The benchmark's CPU floor: one thread gunzips the files, cuts the same chunks and counts the codes
 * with the app's own classes, no Kafka. Prints one JSON line: records, unpacked bytes, seconds.
 *
 * <p>usage: CpuFloor CHUNK_LINES FILE...
 */
public final class CpuFloor {

    private CpuFloor() {
    }

    public static void main(String[] args) throws Exception {
        int chunkLines = Integer.parseInt(args[0]);
        // what a reader does once per JVM, while Camel starts, not in a run: load the digest's native
        // provider (and the logging it reports to); in the timed loop both took 0.5 s (round 17)
        Sha256.isNative();
        long records = 0;
        long counted = 0;
        long unpacked = 0;
        double cpuBefore = ProcessCpu.seconds();
        long start = System.nanoTime();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            try (ByteCountingInputStream in = new ByteCountingInputStream(
                    CensusStreams.open(Files.newInputStream(file), file.getFileName().toString()))) {
                Chunker chunker = new Chunker(in, chunkLines, file.getFileName().toString(), OptionalInt.empty());
                while (chunker.hasNext()) {
                    Chunk chunk = chunker.next();
                    counted += ChunkTally.count(chunk.bytes(), chunk.layout()).counted();
                }
                records += chunker.records();
                unpacked += in.count();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"records\":%d,\"counted\":%d,\"unpacked_bytes\":%d,\"seconds\":%.3f,\"cpu_seconds\":%.2f}%n",
                records, counted, unpacked, seconds, ProcessCpu.seconds() - cpuBefore);
    }
}
