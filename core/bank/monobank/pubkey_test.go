package monobank

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/testsupport"
)

// The official webhook vector of the docs (see sign's tests; the body is
// sign/testdata/webhook-body.json).
const (
	docPubKey = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFQUc1LzZ3NnZubGJZb0ZmRHlYWE4vS29CbVVjTgo3NWJSUWg4MFBhaEdldnJoanFCQnI3OXNSS0JSbnpHODFUZVQ5OEFOakU1c0R3RmZ5Znhub0ZJcmZBPT0KLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tCg=="
	docXSign  = "MEUCIQC/mVKhi8FKoayul2Mim3E2oaIOCNJk5dEXxTqbkeJSOQIgOM0hsW0qcP2H8iXy1aQYpmY0SJWEaWur7nQXlKDCFxA="
)

// unreachable fails every outbound request: the bank is never asked.
type unreachable struct{ asked int }

func (u *unreachable) RoundTrip(*http.Request) (*http.Response, error) {
	u.asked++
	return nil, http.ErrHandlerTimeout
}

// TestVerifyOfficialVector: with the docs' key cached for a token, the docs'
// webhook verifies without asking the bank; one byte changed does not, and
// costs no call while the cached key is fresh; once it is older than
// RefetchAfter the bank is asked once (here unreachable: unavailable, so
// the bank would retry).
func TestVerifyOfficialVector(t *testing.T) {
	body, err := os.ReadFile("sign/testdata/webhook-body.json")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }
	store := kv.NewMem(now)
	rt := &unreachable{}
	b := New(bank.Env{KV: store, Now: now, Log: testsupport.Discard(), HTTP: &http.Client{Transport: rt}}, "http://bank.invalid")
	const token = "docTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	ctx := context.Background()
	if err := kv.PutJSON(ctx, store, PubkeyKey(token), cachedKey{Key: docPubKey, Fetched: now()}, pubkeyTTL); err != nil {
		t.Fatal(err)
	}
	if err := b.verify(ctx, token, body, docXSign); err != nil {
		t.Fatalf("the official vector: %v", err)
	}
	if rt.asked != 0 {
		t.Errorf("the bank was asked %d times with the key cached", rt.asked)
	}
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)/2] ^= 1
	if err := b.verify(ctx, token, tampered, docXSign); errs.CodeOf(err) != errs.Unauthorized || rt.asked != 0 {
		t.Errorf("tampered body, the cached key fresh: %v after %d calls, want unauthorized and no call", err, rt.asked)
	}
	later := now().Add(RefetchAfter + time.Second)
	b.env.Now = func() time.Time { return later }
	if err := b.verify(ctx, token, tampered, docXSign); errs.CodeOf(err) != errs.Unavailable {
		t.Errorf("tampered body with the bank unreachable: %v, want unavailable", err)
	}
	if rt.asked != 1 {
		t.Errorf("the bank was asked %d times for a new key, want once", rt.asked)
	}
	if PubkeyKey(token) == PubkeyKey(token+"x") || len(PubkeyKey(token)) > kv.MaxKeyBytes {
		t.Error("PubkeyKey does not tell tokens apart")
	}
}
