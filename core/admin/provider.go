package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/seal"
)

// Providers serves a merchant's bank provider and credentials:
//
//	PUT /admin/merchants/{id}/provider  {"provider":"monobank","credentials":{"token":"…"}}
//	                                    {"provider":"liqpay","credentials":{"public_key":"…","private_key":"…"}}
//	                                    {"provider":"sandbox"}
//	                                    → 200 {"id":…,"provider":…,"credentials":{masked}}
//	GET /admin/merchants/{id}/provider  → 200, the same
//
// Credentials are checked by the provider, sealed with DATA_KEY (AES-GCM,
// bound to the merchant id) and stored in the merchant record: one KV
// write. They are never shown or logged in clear: answers mask secrets
// ("uXv…(44 chars)"). A switch takes effect with the next request that
// reads the merchant (within KV's propagation delay elsewhere).
type Providers struct {
	API *API // token, merchants, log
	// Banks are the providers enabled in this deployment; the ones that
	// need credentials implement Credentialed.
	Banks bank.Registry
	// Box seals credentials (seal.New with DATA_KEY).
	Box func() (seal.Box, error)
}

// Credentialed is implemented by providers that need per-merchant
// credentials.
type Credentialed interface {
	// CheckCredentials validates the "credentials" object as sent and
	// returns the JSON to seal; errs.Invalid errors say what is wrong
	// without quoting secrets.
	CheckCredentials(raw []byte) ([]byte, error)
	// MaskCredentials shows opened credentials with secrets masked.
	MaskCredentials(plain []byte) map[string]string
}

// Register adds the routes to mux, behind the API's bearer token.
func (p *Providers) Register(mux *http.ServeMux) {
	mux.Handle("PUT /admin/merchants/{id}/provider", p.API.guard(p.put))
	mux.Handle("GET /admin/merchants/{id}/provider", p.API.guard(p.get))
}

// providerJSON is a merchant's provider as the API shows it.
type providerJSON struct {
	ID          string            `json:"id"`
	Provider    string            `json:"provider"`
	Credentials map[string]string `json:"credentials,omitempty"`
}

func (p *Providers) put(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Provider    string          `json:"provider"`
		Credentials json.RawMessage `json:"credentials"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	m, err := p.API.Merchants.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	prov, err := p.provider(req.Provider)
	if err != nil {
		return err
	}
	creds := bytes.TrimSpace(req.Credentials)
	given := len(creds) > 0 && string(creds) != "null" && string(creds) != "{}"
	out := providerJSON{ID: m.ID, Provider: req.Provider}
	c, needs := prov.(Credentialed)
	switch {
	case needs && !given:
		return errs.E(errs.Invalid, "provider %s needs credentials", req.Provider)
	case !needs && given:
		return errs.E(errs.Invalid, "provider %s takes no credentials", req.Provider)
	case needs:
		plain, err := c.CheckCredentials(creds)
		if err != nil {
			return err
		}
		box, err := p.box()
		if err != nil {
			return err
		}
		if m.Credentials, err = box.Seal(plain, []byte(m.ID)); err != nil {
			return fmt.Errorf("seal credentials of %s: %w", m.ID, err)
		}
		out.Credentials = c.MaskCredentials(plain)
	default:
		m.Credentials = nil
	}
	m.Provider = req.Provider
	if err := p.API.Merchants.Put(ctx, m); err != nil {
		return err
	}
	if p.API.Log != nil {
		p.API.Log.Info("merchant provider set", "merchant", m.ID, "provider", m.Provider, "credentials", needs)
	}
	httpx.JSON(w, http.StatusOK, out)
	return nil
}

func (p *Providers) get(w http.ResponseWriter, r *http.Request) error {
	m, err := p.API.Merchants.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.JSON(w, http.StatusOK, p.show(m))
	return nil
}

// show is m's provider with its credentials opened and masked. Credentials
// that cannot be opened (another DATA_KEY) or read are said to be so.
func (p *Providers) show(m merchant.Merchant) providerJSON {
	out := providerJSON{ID: m.ID, Provider: m.Provider}
	if len(m.Credentials) == 0 {
		return out
	}
	c, ok := p.Banks[m.Provider].(Credentialed)
	box, err := p.box()
	if !ok || err != nil {
		out.Credentials = map[string]string{"error": "set (encrypted), cannot be shown"}
		return out
	}
	plain, err := box.Open(m.Credentials, []byte(m.ID))
	if err != nil {
		out.Credentials = map[string]string{"error": "set (encrypted), cannot be opened with this DATA_KEY"}
		return out
	}
	out.Credentials = c.MaskCredentials(plain)
	return out
}

// provider returns the enabled provider called name.
func (p *Providers) provider(name string) (bank.Provider, error) {
	if prov, ok := p.Banks[name]; ok && prov != nil {
		return prov, nil
	}
	names := make([]string, 0, len(p.Banks))
	for n, prov := range p.Banks {
		if prov != nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return nil, errs.E(errs.Invalid, "provider %.20q is not enabled here; want one of: %s", name, strings.Join(names, ", "))
}

func (p *Providers) box() (seal.Box, error) {
	if p.Box == nil {
		return seal.Box{}, errs.E(errs.Unavailable, "credentials cannot be sealed: DATA_KEY is not set")
	}
	box, err := p.Box()
	if err != nil {
		return seal.Box{}, errs.Wrap(errs.Unavailable, err, "credentials cannot be sealed: DATA_KEY is not set")
	}
	return box, nil
}
