# Multi-stage build of the one jar that plays every role (CAMEL_ROLE picks which). The same image
# as `mvn -B -Pjib package -Dimage=REGISTRY/kafka-scale:TAG`, which needs no Docker engine:
#   docker build -t REGISTRY/kafka-scale:TAG .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 kafkascale \
 && useradd --system --uid 10001 --gid kafkascale --home-dir /app --shell /usr/sbin/nologin kafkascale
WORKDIR /app
COPY --from=build /build/target/kafka-scale.jar /app/kafka-scale.jar
# not root: the UID the Kubernetes manifests run as (runAsUser 10001)
USER 10001:10001
# business port (/results, /progress, /admin) and Camel's management port (/observe/*, /q/dev)
EXPOSE 8080 9876
# every role's JVM options (C1 only, inlining four calls deep, the serial collector, the heap in
# transparent huge pages; scripts/lib.sh, docs/benchmark.md)
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:C1MaxInlineLevel=4 -XX:+UseSerialGC -XX:NewRatio=1 -XX:+UseTransparentHugePages"
ENTRYPOINT ["java", "-jar", "/app/kafka-scale.jar"]
