# The Lumen operator image: build the jar with Maven, run it on a distroless Java 17 runtime as a
# non-root user. Build: docker build -t lumen-operator:0.1.0 .   (docs/installation.md#image)
# The image holds the operator's jar only (run, validate, rules); the simulator is not in it.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
# Every module's pom: Maven reads the whole reactor even when it builds a part of it.
COPY api/pom.xml api/pom.xml
COPY core/pom.xml core/pom.xml
COPY testkit/pom.xml testkit/pom.xml
COPY operator/pom.xml operator/pom.xml
COPY sim/pom.xml sim/pom.xml
COPY benchmarks/pom.xml benchmarks/pom.xml
# Dependencies first, in their own layer: source edits do not download them again.
RUN mvn -B -q -pl operator -am dependency:go-offline -DskipTests || true
COPY crds crds
COPY api/src api/src
COPY core/src core/src
# The operator's tests use the testkit (test scope); they are compiled, not run, here.
COPY testkit/src testkit/src
COPY operator/src operator/src
RUN mvn -B -q -pl operator -am package -DskipTests -Dspotless.check.skip

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /src/operator/target/lumen-operator.jar /app/lumen-operator.jar
# 65532 is distroless' "nonroot"; the chart runs the pod as the same user with a read-only root
# filesystem and an emptyDir on /tmp.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/lumen-operator.jar"]
CMD ["run"]
