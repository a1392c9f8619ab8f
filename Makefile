# mockround: `make run` to try it, `make test` before you push.
GO      ?= go
PKGS    := ./...
BIN     := bin/mockround
# The race detector turns on checkptr, which checks unsafe pointer
# arithmetic. modernc.org/sqlite is SQLite translated from C: its pointer
# arithmetic is the C original's, and checkptr is known to stop a whole test
# binary on it now and then ("fatal error: checkptr: pointer arithmetic
# result points to invalid allocation", depending on where the heap put
# things). It stays on for every other package.
RACE_GCFLAGS := -gcflags='modernc.org/...=-d=checkptr=0'
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: ## serve on :8080 with embedded SQLite in ./data (no setup)
	$(GO) run ./cmd/mockround

.PHONY: test
test: ## run every test with the race detector (PostgreSQL and Chromium tests need TEST_DATABASE_URL and chromium)
	@[ -n "$$TEST_DATABASE_URL" ] || echo "note: TEST_DATABASE_URL is not set: PostgreSQL tests are skipped (see README, Tests)"
	@[ -n "$$TEST_REDIS_URL" ] || echo "note: TEST_REDIS_URL is not set: the Redis (shared limits) tests are skipped (see README, Tests)"
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM_PATH" ] || echo "note: chromium is not installed: browser tests are skipped (apt-get install chromium)"
	$(GO) test -race $(RACE_GCFLAGS) -count=1 $(PKGS)

.PHONY: fuzz
fuzz: ## fuzz the grader for a short while (FUZZTIME, default 20s)
	$(GO) test -run '^$$' -fuzz FuzzGrade -fuzztime $${FUZZTIME:-20s} ./interview/grader/

.PHONY: calibrate
calibrate: ## grade the examples, the regression set and the public adversarial set; show figures and misses
	CALIBRATION_VERBOSE=1 $(GO) test -run Calibration -v ./interview/grader/ | grep -v '^=== RUN'

.PHONY: e2e
e2e: ## run only the browser tests (Chromium)
	$(GO) test -count=1 -run 'Browser' -v ./handlers/

.PHONY: screenshots
screenshots: ## write screenshots of the main pages (1280 and 390 px, light and dark) into docs/screenshots (Chromium)
	SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run '^TestScreenshots$$' ./handlers/

.PHONY: bench
bench: ## run the benchmarks (set TEST_DATABASE_URL for the PostgreSQL ones)
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

.PHONY: bench-smoke
bench-smoke: ## run every benchmark once (CI: they still build and work)
	$(GO) test -run '^$$' -bench . -benchtime 1x $(PKGS)

LOAD_LEARNERS ?= 50
LOAD_DURATION ?= 15s
LOAD_THINK    ?= 500ms
LOAD_FLAGS    ?= -learners $(LOAD_LEARNERS) -duration $(LOAD_DURATION) -think $(LOAD_THINK)

.PHONY: load
load: ## journey load test on a fresh server: SQLite, and PostgreSQL with TEST_DATABASE_URL (LOAD_LEARNERS, LOAD_DURATION, LOAD_THINK)
	$(GO) build -o bin/mockround-load ./cmd/mockround
	$(GO) build -o bin/mockload ./cmd/mockload
	bin/mockload -server bin/mockround-load -database sqlite $(LOAD_FLAGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo bin/mockload -server bin/mockround-load -database postgres $(LOAD_FLAGS); \
		bin/mockload -server bin/mockround-load -database postgres $(LOAD_FLAGS); \
	else echo "note: TEST_DATABASE_URL is not set: the PostgreSQL load test is skipped"; fi

.PHONY: generate
generate: ## regenerate templ views
	$(GO) tool templ generate

.PHONY: lint
lint: ## go vet, gofmt, and generated views up to date
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) tool templ generate
	@git diff --exit-code -- '*_templ.go' || (echo "generated views are stale: run make generate and commit"; exit 1)

.PHONY: build
build: ## build bin/mockround (pure Go, no cgo)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/mockround

.PHONY: clean
clean: ## remove the binary (not your data)
	rm -rf bin
