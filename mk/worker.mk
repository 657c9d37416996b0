# The Cloudflare Worker (worker/, wrangler.toml): build, local dev in
# workerd, deploy, and the tests that run the Worker inside workerd.
#
#   make worker        build/app.wasm + build/worker.mjs (what wrangler serves)
#   make dev           wrangler dev on http://127.0.0.1:8787 (local KV and D1, cron via /__scheduled)
#   make deploy        wrangler deploy (see README: KV namespace, secrets, webhook)
#   make worker-test   KV conformance, faults and scenarios against wrangler dev
#   make worker-bench  bundle size and workerd CPU per request vs a hello-world Worker

WORKER_WASM    := $(BUILD)/app.wasm
WORKER_GOFLAGS := -tags stdjson -trimpath -ldflags="-s -w"
WORKER_TEST    := $(BUILD)/worker-test
# The Worker's JavaScript entry is worker/js (the instance pool, and Go's
# wasm_exec.js with syumai's patch, pinned and tested); it is copied next
# to app.wasm.
WORKER_JS      := worker/js/worker.mjs worker/js/pool.mjs worker/js/wasm_exec.js
WRANGLER       := node_modules/.bin/wrangler
NODE_STAMP     := node_modules/.package-lock.json

.PHONY: worker dev dev-vars deploy worker-test worker-bench worker-vet

# $(call worker-assets,dir): the JavaScript entry into dir.
worker-assets = mkdir -p $(1) && cp $(WORKER_JS) $(1)/

## worker: compile the Worker (GOOS=js) next to its JavaScript entry
worker:
	$(call worker-assets,$(BUILD))
	GOOS=js GOARCH=wasm $(GO) build $(WORKER_GOFLAGS) -o $(WORKER_WASM) ./worker

# node_modules from package-lock.json, only when it changed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## dev: the real Worker build in workerd with local KV on 127.0.0.1:8787
DEV_PORT ?= 8787
dev: $(NODE_STAMP) dev-vars dev-db
	$(WRANGLER) dev --ip 127.0.0.1 --port $(DEV_PORT) --test-scheduled $(DEV_FLAGS)

# .dev.vars holds local secrets for wrangler dev (git-ignored); made once.
dev-vars:
	@test -f .dev.vars || { \
	  echo "writing .dev.vars with fresh local secrets (edit it to add bot tokens)"; \
	  { echo "PUBLIC_BASE_URL=http://127.0.0.1:$(DEV_PORT)"; \
	    echo "SANDBOX_BANK=1"; \
	    echo "ADMIN_TOKEN=dev-admin-token"; \
	    echo "LINK_SECRET=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"; \
	    echo "DATA_KEY=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"; } > .dev.vars; }

## deploy: build and upload the Worker (needs `wrangler login` or CLOUDFLARE_API_TOKEN)
deploy: $(NODE_STAMP)
	$(WRANGLER) deploy $(DEPLOY_FLAGS)

## worker-vet: go vet of the Worker for js/wasm, with and without test routes
worker-vet:
	GOOS=js GOARCH=wasm $(GO) vet ./worker/...
	GOOS=js GOARCH=wasm $(GO) vet -tags workertest ./worker/...

## worker-test: the Worker inside workerd (wrangler dev): KV conformance, faults, scenarios
worker-test: $(NODE_STAMP) worker-vet
	$(call worker-assets,$(WORKER_TEST))
	GOOS=js GOARCH=wasm $(GO) build -tags stdjson,workertest -trimpath -ldflags="-s -w" -o $(WORKER_TEST)/app.wasm ./worker
	PAYLASTIC_WORKER_TEST=1 PAYLASTIC_WORKER_DIR=$(CURDIR)/$(WORKER_TEST) $(GO) test -count=1 ./worker/...
	@if ls e2e/worker_*_test.go >/dev/null 2>&1; then \
	  echo PAYLASTIC_WORKER_TEST=1 $(GO) test -count=1 -run '^TestWorker' ./e2e; \
	  PAYLASTIC_WORKER_TEST=1 PAYLASTIC_WORKER_DIR=$(CURDIR)/$(WORKER_TEST) $(GO) test -count=1 -run '^TestWorker' ./e2e; fi

## worker-bench: bundle size, and workerd CPU per request next to a hello-world Worker
worker-bench: $(NODE_STAMP) worker
	PAYLASTIC_WORKER_TEST=1 $(GO) test -tags workerbench -count=1 -run '^TestBench' -v -timeout 30m ./worker/bench
