package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/seal"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	adminToken = "admin-secret"
	monoToken  = "uXvTestTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	privKey    = "privKeyPRIVATEPRIVATEPRIVATEPRIVATE123456"
	dataKey    = "test data key"
	liqPublic  = "i00000000001"
)

type env struct {
	t     *testing.T
	h     http.Handler
	kv    *kv.Counting
	ms    merchant.Store
	db    *cas.Mem // where ms keeps merchants
	logs  *testsupport.LogBuf
	m     merchant.Merchant
	noKey bool
	mono  *httptest.Server // the fake monobank
	liq   *httptest.Server // the fake LiqPay
}

func newEnv(t *testing.T) *env {
	t.Helper()
	now := func() time.Time { return testsupport.T0 }
	e := &env{t: t, logs: &testsupport.LogBuf{}}
	e.kv = &kv.Counting{Store: kv.NewMem(now)}
	rnd := testsupport.Rand(3)
	e.db = cas.NewMem(now)
	e.ms = merchant.Store{DB: e.db, Now: now, Rand: rnd, Secret: []byte("s"), DefaultProvider: "sandbox"}
	log := e.logs.Logger()
	e.mono = httptest.NewServer(fakemono.New(monoToken))
	t.Cleanup(e.mono.Close)
	e.liq = httptest.NewServer(fakeliqpay.New(liqPublic, privKey))
	t.Cleanup(e.liq.Close)
	benv := bank.Env{Now: now, Log: log, Rand: rnd, HTTP: &http.Client{Timeout: 5 * time.Second}}
	api := &admin.API{
		Token:     adminToken,
		Merchants: e.ms,
		Log:       log,
		Banks: bank.Registry{
			sandbox.Name:  &sandbox.Bank{},
			monobank.Name: monobank.New(benv, e.mono.URL),
			liqpay.Name:   liqpay.New(benv, e.liq.URL),
		},
		Box: func() (seal.Box, error) {
			if e.noKey {
				return seal.New("", rnd)
			}
			return seal.New(dataKey, rnd)
		},
	}
	mux := http.NewServeMux()
	api.Register(mux)
	e.h = mux
	m, _, err := e.ms.Create(context.Background(), "Кавʼярня", 0)
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	return e
}

func (e *env) do(method, path, auth, body string) *httptest.ResponseRecorder {
	return testsupport.AdminServe(e.h, method, path, auth, body)
}

func (e *env) stored() merchant.Merchant {
	e.t.Helper()
	m, err := e.ms.Get(context.Background(), e.m.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func TestSetProvider(t *testing.T) {
	const tok = "Bearer " + adminToken
	mono := `{"provider":"monobank","credentials":{"token":"` + monoToken + `"}}`
	liq := `{"provider":"liqpay","credentials":{"public_key":"i00000000001","private_key":"` + privKey + `"}}`
	const otherKey = "privKeyOTHEROTHEROTHEROTHEROTHEROT654321"
	const otherTok = "uXvMadeUpTokenZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
	tests := []struct {
		name       string
		auth, body string
		noKey      bool
		want       int
		wantBody   string
		wantProv   string // provider stored afterwards
		wantWrites int64
	}{
		{"monobank", tok, mono, false, 200, `"token":"…(44 chars)"`, "monobank", 1},
		{"liqpay", tok, liq, false, 200, `"private_key":"…(41 chars)"`, "liqpay", 1},
		{"monobank token the bank refuses", tok, `{"provider":"monobank","credentials":{"token":"` + otherTok + `"}}`, false, 422, "monobank refused the token", "sandbox", 0},
		{"liqpay private key the bank refuses", tok, `{"provider":"liqpay","credentials":{"public_key":"i00000000001","private_key":"` + otherKey + `"}}`, false, 422, "the private_key does not match the public_key", "sandbox", 0},
		{"liqpay public key the bank does not know", tok, `{"provider":"liqpay","credentials":{"public_key":"i99999999999","private_key":"` + privKey + `"}}`, false, 422, "the public_key is not known to LiqPay", "sandbox", 0},
		{"liqpay public key shown", tok, liq, false, 200, `"public_key":"i00000000001"`, "liqpay", 1},
		{"sandbox", tok, `{"provider":"sandbox"}`, false, 200, `"provider":"sandbox"`, "sandbox", 1},
		{"sandbox with null credentials", tok, `{"provider":"sandbox","credentials":null}`, false, 200, `"provider":"sandbox"`, "sandbox", 1},
		{"no bearer", "", mono, false, 401, "unauthorized", "sandbox", 0},
		{"wrong bearer", "Bearer nope", mono, false, 401, "unauthorized", "sandbox", 0},
		{"unknown provider", tok, `{"provider":"privat24"}`, false, 400, "one of: liqpay, monobank, sandbox", "sandbox", 0},
		{"monobank without credentials", tok, `{"provider":"monobank"}`, false, 400, "needs credentials", "sandbox", 0},
		{"monobank with empty credentials", tok, `{"provider":"monobank","credentials":{}}`, false, 400, "needs credentials", "sandbox", 0},
		{"monobank short token", tok, `{"provider":"monobank","credentials":{"token":"abc"}}`, false, 400, "token must be", "sandbox", 0},
		{"monobank liqpay keys", tok, `{"provider":"monobank","credentials":{"public_key":"i00000000001","private_key":"` + privKey + `"}}`, false, 400, "monobank credentials", "sandbox", 0},
		{"liqpay without private key", tok, `{"provider":"liqpay","credentials":{"public_key":"i00000000001"}}`, false, 400, "private_key must be", "sandbox", 0},
		{"sandbox with credentials", tok, `{"provider":"sandbox","credentials":{"token":"` + monoToken + `"}}`, false, 400, "takes no credentials", "sandbox", 0},
		{"unknown field", tok, `{"provider":"sandbox","extra":1}`, false, 400, "malformed JSON", "sandbox", 0},
		{"malformed", tok, `{"provider":`, false, 400, "malformed JSON", "sandbox", 0},
		{"no DATA_KEY", tok, mono, true, 503, "DATA_KEY", "sandbox", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.noKey = tt.noKey
			secrets := []string{monoToken, privKey, otherTok, otherKey}
			writes := e.db.Puts()
			rec := e.do("PUT", "/admin/merchants/"+e.m.ID+"/provider", tt.auth, tt.body)
			if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Fatalf("PUT = %d %s; want %d containing %s", rec.Code, rec.Body, tt.want, tt.wantBody)
			}
			if got := int64(e.db.Puts() - writes); got != tt.wantWrites {
				t.Errorf("store writes = %d, want %d", got, tt.wantWrites)
			}
			m := e.stored()
			if m.Provider != tt.wantProv {
				t.Errorf("stored provider = %q, want %q", m.Provider, tt.wantProv)
			}
			for _, secret := range secrets {
				if strings.Contains(rec.Body.String(), secret) || strings.Contains(e.logs.String(), secret) || bytes.Contains(m.Credentials, []byte(secret)) {
					t.Errorf("a secret is in the answer, the logs or the record in clear")
				}
			}
		})
	}
}

// TestSetProviderBankDown: a bank that cannot be asked answers 503, and
// nothing is stored: the admin tries again later.
func TestSetProviderBankDown(t *testing.T) {
	for _, body := range []string{
		`{"provider":"monobank","credentials":{"token":"` + monoToken + `"}}`,
		`{"provider":"liqpay","credentials":{"public_key":"i00000000001","private_key":"` + privKey + `"}}`,
	} {
		e := newEnv(t)
		e.mono.Close()
		e.liq.Close()
		writes := e.db.Puts()
		rec := e.do("PUT", "/admin/merchants/"+e.m.ID+"/provider", "Bearer "+adminToken, body)
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("PUT %s with the bank down = %d %s, want 503", body[:25], rec.Code, rec.Body)
		}
		if e.db.Puts() != writes || e.stored().Provider != "sandbox" {
			t.Errorf("PUT with the bank down stored something")
		}
	}
}

// TestSwitchAndReadBack: credentials are sealed for the merchant, read back
// masked, and cleared by a switch to the sandbox.
func TestSwitchAndReadBack(t *testing.T) {
	const tok = "Bearer " + adminToken
	e := newEnv(t)
	path := "/admin/merchants/" + e.m.ID + "/provider"
	if rec := e.do("PUT", path, tok, `{"provider":"monobank","credentials":{"token":"`+monoToken+`"}}`); rec.Code != 200 {
		t.Fatalf("PUT = %d %s", rec.Code, rec.Body)
	}
	m := e.stored()
	box, _ := seal.New(dataKey, rand.NewChaCha8([32]byte{}))
	plain, err := box.Open(m.Credentials, []byte(m.ID))
	if err != nil || string(plain) != `{"token":"`+monoToken+`"}` {
		t.Fatalf("sealed credentials open to %q, %v", plain, err)
	}
	if _, err := box.Open(m.Credentials, []byte("another merchant")); !errors.Is(err, seal.ErrOpen) {
		t.Error("the credentials open for another merchant id")
	}

	rec := e.do("GET", path, tok, "")
	var got struct {
		ID          string            `json:"id"`
		Provider    string            `json:"provider"`
		Credentials map[string]string `json:"credentials"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
		t.Fatalf("GET = %d %s", rec.Code, rec.Body)
	}
	if got.ID != e.m.ID || got.Provider != "monobank" || got.Credentials["token"] != "…(44 chars)" {
		t.Errorf("GET = %+v", got)
	}
	rec = e.do("GET", "/admin/merchants/"+e.m.ID, tok, "")
	if !strings.Contains(rec.Body.String(), `"provider":"monobank"`) || strings.Contains(rec.Body.String(), monoToken) {
		t.Errorf("GET merchant = %s", rec.Body)
	}

	e.noKey = true // another DATA_KEY (none) cannot open them: said so, nothing shown
	if rec := e.do("GET", path, tok, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "cannot be") {
		t.Errorf("GET without the key = %d %s", rec.Code, rec.Body)
	}
	e.noKey = false

	if rec := e.do("PUT", path, tok, `{"provider":"sandbox"}`); rec.Code != 200 {
		t.Fatalf("PUT sandbox = %d %s", rec.Code, rec.Body)
	}
	if m := e.stored(); m.Provider != "sandbox" || m.Credentials != nil {
		t.Errorf("after the switch to the sandbox: %q with %d bytes of credentials", m.Provider, len(m.Credentials))
	}
	if rec := e.do("PUT", "/admin/merchants/aaaaaaaaaaaaa/provider", tok, `{"provider":"sandbox"}`); rec.Code != 404 {
		t.Errorf("PUT for an unknown merchant = %d, want 404", rec.Code)
	}
	if rec := e.do("GET", "/admin/merchants/nope/provider", tok, ""); rec.Code != 404 {
		t.Errorf("GET for an unknown merchant = %d, want 404", rec.Code)
	}
}
