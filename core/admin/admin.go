// Package admin is the admin JSON API under /admin/, guarded by
// "Authorization: Bearer $ADMIN_TOKEN" and disabled when no token is set.
//
//	POST /admin/merchants                        {"name":"…","max_amount":"50000"} → 201
//	GET  /admin/merchants/{id}                   → 200
//	POST /admin/merchants/{id}/activation-codes  → 201 {"activation_code":…}
//	PUT  /admin/merchants/{id}/provider          a merchant's bank (provider.go)
//	GET  /admin/merchants/{id}/provider
//
// and the routes of manage.go: list, rename, disable, cashiers, revoke.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/seal"
)

// API serves the admin routes. Every field is required but Token.
type API struct {
	Token     string // ADMIN_TOKEN; empty disables the API
	Merchants merchant.Store
	// Banks are the providers enabled in this deployment.
	Banks bank.Registry
	// Box seals credentials (seal.New with DATA_KEY).
	Box func() (seal.Box, error)
	Log *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

func (a *API) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// Register adds the admin routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.Handle("POST /admin/merchants", a.guard(a.createMerchant))
	mux.Handle("GET /admin/merchants", a.guard(a.listMerchants))
	mux.Handle("GET /admin/merchants/{id}", a.guard(a.getMerchant))
	mux.Handle("PATCH /admin/merchants/{id}", a.guard(a.patchMerchant))
	mux.Handle("GET /admin/merchants/{id}/cashiers", a.guard(a.listCashiers))
	mux.Handle("DELETE /admin/merchants/{id}/cashiers/{operator}", a.guard(a.revokeCashier))
	mux.Handle("POST /admin/merchants/{id}/activation-codes", a.guard(a.issueCode))
	mux.Handle("PUT /admin/merchants/{id}/provider", a.guard(a.putProvider))
	mux.Handle("GET /admin/merchants/{id}/provider", a.guard(a.getProvider))
	mux.Handle("/admin/", a.guard(func(w http.ResponseWriter, r *http.Request) error {
		return errs.E(errs.NotFound, "no such admin route: %s %s", r.Method, r.URL.Path)
	}))
}

// guard checks the bearer token in constant time before anything is read.
func (a *API) guard(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Token == "" {
			httpx.Error(w, a.Log, errs.E(errs.Forbidden, "admin API is disabled: ADMIN_TOKEN is not set"))
			return
		}
		if !a.authorized(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="paylastic-admin"`)
			httpx.Error(w, a.Log, errs.E(errs.Unauthorized, "missing or wrong bearer token"))
			return
		}
		if err := h(w, r); err != nil {
			httpx.Error(w, a.Log, err)
		}
	})
}

func (a *API) authorized(header string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	// compare hashes so the comparison takes the same time whatever the lengths
	g, want := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(a.Token))
	return subtle.ConstantTimeCompare(g[:], want[:]) == 1 && ok
}

// merchantJSON is a merchant as the API shows it: credentials never in clear.
type merchantJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	MaxAmount   string    `json:"max_amount"`
	Provider    string    `json:"provider"`
	Credentials string    `json:"credentials,omitempty"`
	Created     time.Time `json:"created"`
	Code        string    `json:"activation_code,omitempty"`
	CodeExpires time.Time `json:"activation_code_expires,omitzero"`
	// BankError is the bank's last refusal for good of this merchant (a
	// revoked token, a shop not allowed): what to fix. Cleared by setting
	// the provider again.
	BankError *merchant.BankError `json:"bank_error,omitempty"`
	// Disabled is when the admin disabled the merchant; absent: active.
	Disabled time.Time `json:"disabled,omitzero"`
}

func view(m merchant.Merchant) merchantJSON {
	v := merchantJSON{ID: m.ID, Name: m.Name, MaxAmount: m.MaxAmount.Decimal(), Provider: m.Provider, Created: m.Created, BankError: m.BankError, Disabled: m.Disabled}
	if len(m.Credentials) > 0 {
		v.Credentials = "set (encrypted)"
	}
	return v
}

func (a *API) createMerchant(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name      string          `json:"name"`
		MaxAmount json.RawMessage `json:"max_amount"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	max, err := parseMax(req.MaxAmount)
	if err != nil {
		return err
	}
	m, code, err := a.Merchants.Create(r.Context(), req.Name, max)
	if err != nil {
		return fmt.Errorf("create merchant: %w", err)
	}
	v := view(m)
	v.Code, v.CodeExpires = code, m.Created.Add(merchant.CodeTTL)
	w.Header().Set("Location", "/admin/merchants/"+m.ID)
	httpx.JSON(w, http.StatusCreated, v)
	return nil
}

// parseMax accepts "50000", "50000.00" or 50000 (hryvnias); absent is the default.
func parseMax(raw json.RawMessage) (money.Amount, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	s := strings.Trim(string(raw), `"`)
	a, err := money.Parse(s, money.MaxAmount)
	if err != nil {
		return 0, errs.Wrap(errs.Invalid, err, fmt.Sprintf("max_amount: %v", err))
	}
	return a, nil
}

func (a *API) getMerchant(w http.ResponseWriter, r *http.Request) error {
	m, err := a.Merchants.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.JSON(w, http.StatusOK, view(m))
	return nil
}

func (a *API) issueCode(w http.ResponseWriter, r *http.Request) error {
	// The body is optional: an empty POST issues an owner's code, as it
	// always has; {"role":"cashier"} issues a cashier's.
	var req struct {
		Role merchant.Role `json:"role"`
	}
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	if req.Role == "" {
		req.Role = merchant.Owner
	}
	if !req.Role.Valid() {
		return errs.E(errs.Invalid, "role: %q is neither %q nor %q", req.Role, merchant.Owner, merchant.Cashier)
	}
	code, exp, err := a.Merchants.IssueCode(r.Context(), r.PathValue("id"), req.Role)
	if err != nil {
		return err
	}
	httpx.JSON(w, http.StatusCreated, map[string]any{"merchant": r.PathValue("id"), "role": req.Role, "activation_code": code, "expires": exp})
	return nil
}
