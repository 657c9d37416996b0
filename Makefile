# PayLastic Edge. The two commands a newcomer needs: `make run` and `make test`.
GO      ?= go
BUILD   := build
GUEST   := $(BUILD)/guest.wasm
TOOL    := $(BUILD)/paylastic
# The guest uses encoding/json inside telego (-tags stdjson): smaller and
# cheaper to start than the default go-json (see RATIONALE.md).
GUEST_FLAGS := -buildmode=c-shared -tags stdjson -trimpath

export WRANGLER_SEND_METRICS = false

.PHONY: all run test guest tool vet cross unit fuzz bench clean

all: guest tool

## run: build the guest and start the local edge harness on :8787
run: guest tool
	$(TOOL) run $(RUN_FLAGS)

## guest: compile the WASI guest (Go's build cache makes a rebuild quick)
guest:
	@mkdir -p $(BUILD)
	GOOS=wasip1 GOARCH=wasm $(GO) build $(GUEST_FLAGS) -o $(GUEST) ./wasm/guest

## tool: the native CLI (harness, webhook registration)
tool:
	@mkdir -p $(BUILD)
	$(GO) build -o $(TOOL) ./wasm/cmd/paylastic

## vet: go vet for the host and for both wasm targets
vet:
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./core/... ./wasm/guest
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)

## cross: core builds natively, for js/wasm and for wasip1 (DESIGN §3)
cross:
	$(GO) build ./core/...
	GOOS=js GOARCH=wasm $(GO) build ./core/...
	GOOS=wasip1 GOARCH=wasm $(GO) build ./core/...

## test: everything, on the compiled guest too
test: vet cross guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test -count=1 ./...

## fuzz: a short fuzzing pass over every parser of outside input
fuzz:
	$(GO) test ./core/money -run XXX -fuzz FuzzParse -fuzztime 20s
	$(GO) test ./core/invoice -run XXX -fuzz FuzzDecodeRef -fuzztime 20s

## bench: per-request cost of a fresh guest instance
bench: guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test ./wasm/host -run XXX -bench . -benchtime 100x -count 5

clean:
	rm -rf $(BUILD)

# The Worker build, wrangler dev and deploy (issue: the Cloudflare Worker).
-include mk/*.mk
