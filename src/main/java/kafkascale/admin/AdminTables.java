package kafkascale.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafkascale.kafka.KafkaAdmin.BrokerInfo;
import kafkascale.kafka.KafkaAdmin.ClusterInfo;
import kafkascale.kafka.KafkaAdmin.OffsetsReport;
import kafkascale.kafka.KafkaAdmin.PartitionDetail;
import kafkascale.kafka.KafkaAdmin.PartitionOffsets;
import kafkascale.kafka.KafkaAdmin.TopicDetail;
import kafkascale.kafka.KafkaAdmin.TopicSummary;

/** The aligned plain-text tables the Go original printed, for `Accept: text/plain` and the one-shot roles. */
public final class AdminTables {

    private AdminTables() {
    }

    public static String topics(List<TopicSummary> topics) {
        Table t = new Table("TOPIC", "PARTITIONS", "REPLICATION", "LEADERS");
        topics.forEach(s -> t.row(s.name(), s.partitions(), s.replicationFactor(), join(s.leaders())));
        return t.toString();
    }

    public static String topic(TopicDetail d) {
        Table t = new Table("PARTITION", "LEADER", "REPLICAS", "ISR");
        for (PartitionDetail p : d.partitions()) {
            t.row(p.partition(), p.leader() == null ? "none" : p.leader(), join(p.replicas()), join(p.isr()));
        }
        StringBuilder out = new StringBuilder("Topic: " + d.name() + "  id: " + d.topicId() + "\n").append(t);
        Table configs = new Table("CONFIG", "VALUE");
        for (Map.Entry<String, String> e : d.configs().entrySet()) {
            configs.row(e.getKey(), e.getValue());
        }
        return out.append('\n').append(configs).toString();
    }

    public static String offsets(OffsetsReport r) {
        Table t = new Table("PARTITION", "COMMITTED", "LOG-END", "LAG");
        for (PartitionOffsets p : r.partitions()) {
            t.row(p.partition(), p.committed() == null ? "-" : p.committed(), p.logEnd(), p.lag());
        }
        t.row("TOTAL", r.totalCommitted(), r.totalLogEnd(), r.totalLag());
        return "Topic: " + r.topic() + "  group: " + r.group() + "\n" + t;
    }

    public static String cluster(ClusterInfo c) {
        Table t = new Table("ID", "HOST", "PORT", "RACK", "CONTROLLER");
        for (BrokerInfo b : c.brokers()) {
            t.row(b.id(), b.host(), b.port(), b.rack() == null ? "-" : b.rack(), b.controller() ? "yes" : "");
        }
        return "Cluster: " + c.clusterId() + "\n" + t;
    }

    /** The table of any admin answer, for `Accept: text/plain`. */
    @SuppressWarnings("unchecked")
    public static String render(Object answer) {
        if (answer instanceof List<?> list) {
            return topics((List<TopicSummary>) list);
        }
        if (answer instanceof TopicDetail d) {
            return topic(d);
        }
        if (answer instanceof OffsetsReport r) {
            return offsets(r);
        }
        if (answer instanceof ClusterInfo c) {
            return cluster(c);
        }
        if (answer instanceof AdminService.TopicDeleted d) {
            return deleted(List.of(d));
        }
        if (answer instanceof AdminError e) {
            return "error: " + e.error() + "\n";
        }
        throw new IllegalArgumentException("no table for " + answer.getClass().getSimpleName());
    }

    /** What deleting topics did, with the Strimzi warning for pipeline topics. */
    public static String deleted(List<AdminService.TopicDeleted> deleted) {
        StringBuilder out = new StringBuilder();
        for (AdminService.TopicDeleted d : deleted) {
            out.append("deleted ").append(d.deleted()).append('\n');
            if (d.warning() != null) {
                out.append("warning: ").append(d.warning()).append('\n');
            }
        }
        return out.toString();
    }

    private static String join(List<Integer> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    /** Left-aligned columns, two spaces apart. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(Object... cells) {
            String[] row = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = String.valueOf(cells[i]);
            }
            rows.add(row);
        }

        @Override
        public String toString() {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    line.append(row[i]);
                    if (i < columns - 1) {
                        line.append(" ".repeat(width[i] - row[i].length() + 2));
                    }
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
            return out.toString();
        }
    }
}
