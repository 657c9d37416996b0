// Package reliability is the reliability suite of the compiled guest: its
// tests (no code of its own) play many small random schedules of concurrent
// and reordered bank webhooks, result-page polls, cancels, refunds, expiry
// and scheduled passes against the guest on the harness, with KV lag and,
// in one test, a share of every KV operation, SQL statement and outbound
// request failing; after each schedule a reference model says what the
// check, the bank and the operator's chat must hold.
//
//	go test ./reliability                       # the short form (make test)
//	go test ./reliability -seeds 1000 -timeout 60m   # make soak
//	go test ./reliability -run TestOrderings -seed 17 -v   # replay one seed
package reliability
