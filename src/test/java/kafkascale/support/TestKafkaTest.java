package kafkascale.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The broker provider picks Testcontainers exactly when a Docker engine answers, and its broker is real. */
class TestKafkaTest {

    @Test
    void choosesByDockerAndAnswersAsABroker() throws Exception {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertEquals(docker ? "testcontainers" : "in-jvm", kafka.kind());
            assertFalse(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty(), "a broker answers");
        }
    }
}
