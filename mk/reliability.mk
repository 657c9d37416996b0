# The reliability suite (package reliability): random schedules of
# concurrent bank events, polls, cancels, refunds, expiry and scheduled
# passes on the compiled guest with KV lag, with and without 10 % faults.
#
#   make test         runs its short form (RELIABILITY_SEEDS, default 24 seeds per test)
#   make reliability  the short form alone
#   make soak         SOAK_SEEDS (default 1000) seeds per test, from SOAK_FIRST
#
# A failing seed prints its replay: go test ./reliability -run '^TestFaults$' -seed N -v

SOAK_SEEDS ?= 1000
SOAK_FIRST ?= 1

.PHONY: reliability soak

## reliability: the reliability suite's short form on the compiled guest
reliability: guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test -count=1 -v -run '^Test(Orderings|Faults)$$' ./reliability

## soak: the reliability suite at length (SOAK_SEEDS seeds per test)
soak: guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test -count=1 -v -timeout 4h -run '^Test(Orderings|Faults)$$' ./reliability \
	  -seeds $(SOAK_SEEDS) -first $(SOAK_FIRST)
