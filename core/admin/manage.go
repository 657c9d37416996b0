package admin

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/merchant"
)

// The routes a real merchant's setup needs after creation: find a lost id,
// rename, disable, and see and revoke the people who take its payments.
//
//	GET    /admin/merchants?prefix=&cursor=&limit=      → 200 {"merchants":[…],"cursor":"…"}
//	PATCH  /admin/merchants/{id}                        {"name":"…"} and/or {"disabled":true|false} → 200
//	GET    /admin/merchants/{id}/cashiers               → 200 {"cashiers":[…]} (owners first)
//	DELETE /admin/merchants/{id}/cashiers/{operator}    → 204; 404 if not (or no longer) its operator

// listMerchants pages through merchants in name order, by a prefix of the
// name in any case. cursor is empty on the last page.
func (a *API) listMerchants(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 0
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > cas.MaxList {
			return errs.E(errs.Invalid, "limit: %q is not a number from 1 to %d", s, cas.MaxList)
		}
		limit = n
	}
	// the store's cursor is a key (any bytes): the API's is its base64url,
	// safe in a query string as it is
	cursor, err := base64.RawURLEncoding.DecodeString(q.Get("cursor"))
	if err != nil {
		return errs.E(errs.Invalid, "cursor: not one this list gave")
	}
	page, err := a.Merchants.List(r.Context(), q.Get("prefix"), string(cursor), limit)
	if err != nil {
		return err
	}
	out := struct {
		Merchants []merchantJSON `json:"merchants"`
		Cursor    string         `json:"cursor"`
	}{Merchants: []merchantJSON{}, Cursor: base64.RawURLEncoding.EncodeToString([]byte(page.Next))}
	for _, m := range page.Items {
		out.Merchants = append(out.Merchants, view(m))
	}
	httpx.JSON(w, http.StatusOK, out)
	return nil
}

// patchMerchant renames a merchant or disables (enables) it. A disabled
// merchant's links answer that it takes no payments, and its operators'
// new checks are refused with a clear message.
func (a *API) patchMerchant(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name     *string `json:"name"`
		Disabled *bool   `json:"disabled"`
	}
	if err := decodeStrict(w, r, &req); err != nil {
		return err
	}
	if req.Name == nil && req.Disabled == nil {
		return errs.E(errs.Invalid, `nothing to change: send "name" and/or "disabled"`)
	}
	m, err := a.Merchants.Update(r.Context(), r.PathValue("id"), func(m *merchant.Merchant) error {
		if req.Name != nil {
			m.Name = *req.Name
		}
		if req.Disabled != nil {
			switch {
			case *req.Disabled && m.Disabled.IsZero():
				m.Disabled = a.now().UTC()
			case !*req.Disabled:
				m.Disabled = time.Time{}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.Log.Info("merchant changed", "merchant", m.ID, "renamed", req.Name != nil, "disabled", !m.Disabled.IsZero())
	httpx.JSON(w, http.StatusOK, view(m))
	return nil
}

// cashierJSON is an operator as the admin sees them; id is what revokes
// them (the messenger's own user id is not shown).
type cashierJSON struct {
	ID        string        `json:"id"`
	Role      merchant.Role `json:"role"`
	Name      string        `json:"name,omitempty"`
	Messenger string        `json:"messenger"`
	Activated time.Time     `json:"activated"`
}

func (a *API) listCashiers(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := a.Merchants.Get(r.Context(), id); err != nil {
		return err
	}
	ops, err := a.Merchants.Operators(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		Cashiers []cashierJSON `json:"cashiers"`
	}{Cashiers: []cashierJSON{}}
	for _, op := range ops {
		out.Cashiers = append(out.Cashiers, cashierJSON{ID: op.ID(a.Merchants.Secret), Role: op.RoleOf(), Name: op.Name, Messenger: op.Messenger, Activated: op.Activated})
	}
	httpx.JSON(w, http.StatusOK, out)
	return nil
}

// revokeCashier removes an operator: their next message is told they no
// longer work for the merchant; the checks they made stay payable. A
// second DELETE answers 404, as for any id that is not the merchant's
// operator: there is nothing left to revoke, and the answer says so.
func (a *API) revokeCashier(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := a.Merchants.Get(r.Context(), id); err != nil {
		return err
	}
	op, err := a.Merchants.OperatorByID(r.Context(), id, r.PathValue("operator"))
	if err != nil {
		return err
	}
	if _, err := a.Merchants.Remove(r.Context(), id, op.Messenger, op.UserID); err != nil {
		return err
	}
	a.Log.Info("operator revoked", "merchant", id, "operator", r.PathValue("operator"), "role", op.RoleOf())
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decodeStrict is httpx.DecodeJSON that also refuses fields it does not
// know: a typo in a PATCH must not look like success.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	var raw json.RawMessage
	if err := httpx.DecodeJSON(w, r, &raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.Wrap(errs.Invalid, err, "body: "+err.Error())
	}
	return nil
}
