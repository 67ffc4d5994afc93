package kafkascale.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import kafkascale.census.CensusStreams;
import kafkascale.census.Chunk;
import kafkascale.census.ChunkTally;
import kafkascale.census.Chunker;

/**
 * The benchmark's CPU floor: one thread gunzips the files, cuts the same chunks and counts the codes,
 * no Kafka. Prints one JSON line: records, raw bytes, seconds.
 */
public final class CpuFloor {

    private CpuFloor() {
    }

    public static void main(String[] args) throws Exception {
        int chunkLines = Integer.parseInt(args[0]);
        long records = 0;
        long bytes = 0;
        long counted = 0;
        long start = System.nanoTime();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            bytes += Files.size(file);
            try (InputStream in = CensusStreams.open(Files.newInputStream(file), file.getFileName().toString())) {
                Chunker chunker = new Chunker(in, chunkLines, file.getFileName().toString(), OptionalInt.empty());
                while (chunker.hasNext()) {
                    Chunk chunk = chunker.next();
                    counted += ChunkTally.count(chunk.text(), chunk.layout()).counted();
                }
                records += chunker.records();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"records\":%d,\"counted\":%d,\"raw_bytes\":%d,\"seconds\":%.3f}%n", records, counted, bytes, seconds);
    }
}
