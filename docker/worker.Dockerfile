# EmoFarm GPU worker: consumes render-segment from RabbitMQ, one segment at a time, one GPU per pod.
# Metrics and health (HTTP/1.1) on 9090; ready once the model is loaded.
# Build from the repository root: docker build -f docker/worker.Dockerfile -t emofarm-worker .

# global.json asks for SDK 10.0.401 or a later feature band; the 10.0 tag tracks the newest SDK.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /src

COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY protos/ protos/
COPY src/EmoFarm.Contracts/EmoFarm.Contracts.csproj src/EmoFarm.Contracts/
COPY src/EmoFarm.Farm/EmoFarm.Farm.csproj src/EmoFarm.Farm/
COPY src/EmoFarm.Faces/EmoFarm.Faces.csproj src/EmoFarm.Faces/
COPY src/EmoFarm.Model/EmoFarm.Model.csproj src/EmoFarm.Model/BannedSymbols.txt src/EmoFarm.Model/
COPY src/EmoFarm.Worker/EmoFarm.Worker.csproj src/EmoFarm.Worker/
# TorchBackend=cuda swaps TorchSharp-cpu for TorchSharp-cuda-linux (several GB of libtorch parts):
# in a layer before the sources, so code changes reuse the download.
RUN dotnet restore src/EmoFarm.Worker/EmoFarm.Worker.csproj -r linux-x64 -p:TorchBackend=cuda

COPY src/ src/
RUN dotnet publish src/EmoFarm.Worker/EmoFarm.Worker.csproj \
      -c Release -r linux-x64 --self-contained false --no-restore \
      -p:TorchBackend=cuda -p:UseAppHost=false -o /app

# The ASP.NET Core runtime comes from Microsoft's image of the same Ubuntu release, so its
# native dependencies match the CUDA base below.
# face-api's TensorFlow.js models (MIT, 24 MB): fetched at build time, never committed. The orchestrator frames
# portraits with them, the workers quality-check what they render.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS face-models
ARG FACE_API_VERSION=1.7.15
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN mkdir -p /face-models \
 && curl -fsSL "https://registry.npmjs.org/@vladmandic/face-api/-/face-api-${FACE_API_VERSION}.tgz" \
  | tar -xz -C /face-models --strip-components=2 package/model

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble AS dotnet

# TorchSharp-cuda-linux 0.107.0 bundles libtorch 2.10.0 built for CUDA 12.8 (TorchSharp's
# build/Dependencies.props: CudaVersionDot 12.8), so the runtime base is CUDA 12.8 with cuDNN.
# The host driver must support CUDA 12.8 (R570 or newer).
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime
# No glibc patch here: Ubuntu 24.04's libstdc++ is GCC >= 13's and already exports GLIBCXX_3.4.32,
# which TorchSharp's libLibTorchSharp.so requires. (The weak-version edit that
# build/TorchSharpGlibcxx.targets makes during the build is harmless here; only Debian 12 needs it.)
# ffmpeg encodes clips; libicu/libssl/tzdata are .NET's own runtime dependencies; curl serves the HEALTHCHECK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ffmpeg curl ca-certificates tzdata libicu74 libssl3t64 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app \
 && useradd --uid 1654 --gid 1654 --no-create-home --home-dir /app --shell /usr/sbin/nologin app

COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

WORKDIR /app
COPY --from=build --chown=root:root /app ./
COPY --from=face-models --chown=root:root /face-models /opt/emofarm/face-models

ENV DOTNET_ROOT=/usr/share/dotnet \
    ASPNETCORE_HTTP_PORTS=9090 \
    OTEL_SERVICE_NAME=emofarm-worker \
    Model__Device=cuda \
    Faces__ModelFolder=/opt/emofarm/face-models \
    Faces__Device=cuda \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,video
EXPOSE 9090

USER 1654

# Liveness, not readiness: loading the model takes minutes. Ten misses in a row (5 min) stand in for
# --start-period, which dockerfilelint 1.8 misreports as invalid. Kubernetes uses its own probes.
HEALTHCHECK --interval=30s --timeout=5s --retries=10 \
  CMD ["curl", "-fsS", "http://127.0.0.1:9090/healthz/live"]

ENTRYPOINT ["dotnet", "EmoFarm.Worker.dll"]
