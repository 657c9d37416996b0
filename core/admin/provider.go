package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/seal"
)

// The provider routes:
//
//	PUT /admin/merchants/{id}/provider  {"provider":"monobank","credentials":{"token":"…"}}
//	                                    {"provider":"liqpay","credentials":{"public_key":"…","private_key":"…"}}
//	                                    {"provider":"sandbox"}
//	                                    → 200 {"id":…,"provider":…,"credentials":{masked}}
//	GET /admin/merchants/{id}/provider  → 200, the same
//
// Credentials are checked by the provider and verified with the bank (one
// authenticated call: 422 with what is wrong when the bank refuses them, 503
// when it cannot be asked; nothing is stored either way), sealed with
// DATA_KEY (AES-GCM,
// bound to the merchant id) and stored in the merchant record: one KV
// write. They are never shown or logged in clear: answers mask secrets.
// A switch takes effect with the next request that reads the merchant
// (within KV's propagation delay elsewhere).

// providerJSON is a merchant's provider as the API shows it.
type providerJSON struct {
	ID          string            `json:"id"`
	Provider    string            `json:"provider"`
	Credentials map[string]string `json:"credentials,omitempty"`
}

func (a *API) putProvider(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Provider    string          `json:"provider"`
		Credentials json.RawMessage `json:"credentials"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	m, err := a.Merchants.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	prov, err := a.provider(req.Provider)
	if err != nil {
		return err
	}
	plain, err := prov.CheckCredentials(req.Credentials)
	if err != nil {
		return err
	}
	// Ask the bank before anything is stored: a made-up token answers 422
	// here, not "try again later" to every buyer.
	if err := prov.VerifyCredentials(ctx, plain); err != nil {
		return fmt.Errorf("verify %s credentials of %s: %w", req.Provider, m.ID, err)
	}
	out := providerJSON{ID: m.ID, Provider: req.Provider}
	m.Credentials = nil
	if plain != nil {
		box, err := a.box()
		if err != nil {
			return err
		}
		if m.Credentials, err = box.Seal(plain, []byte(m.ID)); err != nil {
			return fmt.Errorf("seal credentials of %s: %w", m.ID, err)
		}
		out.Credentials = prov.MaskCredentials(plain)
	}
	m, err = a.Merchants.Update(ctx, m.ID, func(cur *merchant.Merchant) error {
		cur.Provider, cur.Credentials = req.Provider, m.Credentials
		cur.BankError = nil // new settings: the last refusal no longer describes them
		return nil
	})
	if err != nil {
		return err
	}
	a.Log.Info("merchant provider set", "merchant", m.ID, "provider", m.Provider, "credentials", plain != nil)
	httpx.JSON(w, http.StatusOK, out)
	return nil
}

func (a *API) getProvider(w http.ResponseWriter, r *http.Request) error {
	m, err := a.Merchants.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.JSON(w, http.StatusOK, a.showProvider(m))
	return nil
}

// show is m's provider with its credentials opened and masked. Credentials
// that cannot be opened (another DATA_KEY) or read are said to be so.
func (a *API) showProvider(m merchant.Merchant) providerJSON {
	out := providerJSON{ID: m.ID, Provider: m.Provider}
	if len(m.Credentials) == 0 {
		return out
	}
	prov, err := a.Banks.Provider(m.Provider)
	box, berr := a.box()
	if err != nil || berr != nil {
		out.Credentials = map[string]string{"error": "set (encrypted), cannot be shown"}
		return out
	}
	plain, err := box.Open(m.Credentials, []byte(m.ID))
	if err != nil {
		out.Credentials = map[string]string{"error": "set (encrypted), cannot be opened with this DATA_KEY"}
		return out
	}
	out.Credentials = prov.MaskCredentials(plain)
	return out
}

// provider returns the enabled provider called name.
func (a *API) provider(name string) (bank.Provider, error) {
	if prov, err := a.Banks.Provider(name); err == nil {
		return prov, nil
	}
	return nil, errs.E(errs.Invalid, "provider %.20q is not enabled here; want one of: %s", name, strings.Join(a.Banks.Names(), ", "))
}

func (a *API) box() (seal.Box, error) {
	if a.Box == nil {
		return seal.Box{}, errs.E(errs.Unavailable, "credentials cannot be sealed: DATA_KEY is not set")
	}
	box, err := a.Box()
	if err != nil {
		return seal.Box{}, errs.Wrap(errs.Unavailable, err, "credentials cannot be sealed: DATA_KEY is not set")
	}
	return box, nil
}
