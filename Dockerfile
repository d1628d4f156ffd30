# The Lumen operator image: build the jar with Maven, run it on a distroless Java 17 runtime as a
# non-root user. Build: docker build -t lumen-operator:0.1.0 .   (docs/installation.md#image)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY operator/pom.xml operator/pom.xml
COPY benchmarks/pom.xml benchmarks/pom.xml
# Dependencies first, in their own layer: source edits do not download them again.
RUN mvn -B -q -pl operator -am dependency:go-offline -DskipTests || true
COPY crds crds
# The demo scenarios are packaged into the jar (lumen demo works from the image too).
COPY samples samples
COPY operator/src operator/src
RUN mvn -B -q -pl operator -am package -DskipTests

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /src/operator/target/lumen-operator.jar /app/lumen-operator.jar
# 65532 is distroless' "nonroot"; the chart runs the pod as the same user with a read-only root
# filesystem and an emptyDir on /tmp.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/lumen-operator.jar"]
CMD ["run"]
