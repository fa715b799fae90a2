# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
# The image ECS runs. Built for linux/arm64 (the service's platform) and linux/amd64 by the workflows in
# .github/workflows; `make smoke` publishes and starts the app the same way on a machine without Docker.
# Base images are pinned by version and by the digest of their multi-platform index (amd64 and arm64): the SDK
# global.json names and the runtime that SDK ships, moved together by Dependabot (SupplyChainTests; docs/deploy.md).

# The SDK runs on the build machine's own platform and cross-compiles for the target: no emulation.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401-noble@sha256:e70cdb7f80b0348f5cb85f19a8f670fca061f033d57eed12fa003d58b0e06317 AS build
ARG TARGETARCH
WORKDIR /src

# The RDS CA bundle (for Database__SslMode=VerifyFull) and the roots RDS Proxy's certificates chain to are committed
# with their checksums (scripts/rds-ca.sh keeps them): a bundle changed without its checksum stops the build here,
# before anything slow.
COPY certs/rds-global-bundle.pem certs/rds-global-bundle.sha256 certs/
RUN sha256sum --check --strict certs/rds-global-bundle.sha256
COPY certs/rds-proxy-bundle.pem certs/rds-proxy-bundle.sha256 certs/
RUN sha256sum --check --strict certs/rds-proxy-bundle.sha256

# Restore from the files that decide the packages only, so a code change reuses the restored layer. Locked mode:
# exactly the packages Web/packages.lock.json records (both platforms), or the build stops.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Web/Web.csproj Web/packages.lock.json Web/
RUN dotnet restore Web/Web.csproj -a "$TARGETARCH" --locked-mode

# Web only: tests, CDK and docs never enter the image (.dockerignore keeps them out of the context too).
# With a target architecture the project publishes ReadyToRun code (Web/Web.csproj).
COPY Web/ Web/
RUN dotnet publish Web/Web.csproj --no-restore -c Release -a "$TARGETARCH" --no-self-contained -o /app


# Ubuntu chiseled: no shell, no package manager, non-root by default. InvariantGlobalization means no ICU is needed.
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled@sha256:9651fa59abcdf177c30392cb44a820605ca5d618429ab37acbf6e7c644510b02 AS final
WORKDIR /app

COPY --from=build --chmod=0444 /src/certs/rds-global-bundle.pem certs/
COPY --from=build --chmod=0444 /src/certs/rds-proxy-bundle.pem certs/
COPY --from=build /app ./

# Last, because it changes with every commit: the layers above stay cached.
ARG APP_VERSION=unversioned
ENV APP_VERSION=$APP_VERSION \
    ASPNETCORE_HTTP_PORTS=8080 \
    Database__SslCa=/app/certs/rds-global-bundle.pem

# APP_UID (1654) is the non-root "app" user the base image defines.
USER $APP_UID
EXPOSE 8080

# For `docker run`; ECS runs the same command as its own container health check (the task definition).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "/app/Site.Web.dll", "probe"]
ENTRYPOINT ["dotnet", "/app/Site.Web.dll"]
