package liqpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/errs"
)

// APIError is a failed /api/request: LiqPay's err_code and err_description.
type APIError struct {
	Code        string
	Description string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("liqpay answered error %s: %s", e.Code, e.Description)
}

// request is the JSON of an /api/request call.
type request struct {
	Version   int         `json:"version"`
	PublicKey string      `json:"public_key"`
	Action    string      `json:"action"`
	OrderID   string      `json:"order_id"`
	Amount    json.Number `json:"amount,omitempty"`
}

// call posts a server-server request (POST /api/request, form fields data
// and signature; bank.Env.Call) and decodes the plain JSON answer. A
// transport failure or an answer that is not JSON is errs.Unavailable. A
// failed request (result "error") wraps an *APIError: errs.NotFound for
// payment_not_found, errs.Refused for the codes that say the merchant's
// keys or shop are wrong (permanent), errs.Unavailable otherwise.
func (b *Bank) call(ctx context.Context, c Credentials, req request) (payment, error) {
	var p payment
	req.Version, req.PublicKey = version, c.PublicKey
	data, err := sign.Data(req)
	if err != nil {
		return p, fmt.Errorf("liqpay %s: %w", req.Action, err)
	}
	form := url.Values{"data": {data}, "signature": {sign.Signature(c.PrivateKey, data)}}
	status, raw, err := b.env.Call(ctx, bank.Request{
		Bank:   Name,
		What:   "liqpay " + req.Action,
		Method: http.MethodPost,
		URL:    b.api + "/api/request",
		Body:   strings.NewReader(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}},
	})
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, errs.Wrap(errs.Unavailable, fmt.Errorf("liqpay %s: answered %d, not JSON", req.Action, status), "liqpay unavailable")
	}
	if p.apiFailed() || status != http.StatusOK {
		e := &APIError{Code: p.ErrCode, Description: p.ErrDescription}
		if len(e.Description) > 200 {
			e.Description = e.Description[:200]
		}
		code, msg := errs.Unavailable, "liqpay refused the request"
		switch {
		case e.Code == "payment_not_found":
			code = errs.NotFound
		case refusals[e.Code] != "":
			code, msg = errs.Refused, "liqpay refused the merchant: "+refusals[e.Code]
		}
		return p, errs.Wrap(code, fmt.Errorf("liqpay %s %s: %w", req.Action, req.OrderID, e), msg)
	}
	return p, nil
}

// refusals are LiqPay's error codes that no retry can change: the
// merchant's keys or shop are wrong (https://www.liqpay.ua/en/doc/errors;
// err_signature is what some LiqPay answers say for invalid_signature).
// They say which credential is at fault, for the admin API.
var refusals = map[string]string{
	"invalid_signature":    "the private_key does not match the public_key",
	"err_signature":        "the private_key does not match the public_key",
	"public_key_not_found": "the public_key is not known to LiqPay",
	"shop_blocked":         "the shop is blocked at LiqPay",
	"shop_not_active":      "the shop is not active at LiqPay",
	"err_auth":             "LiqPay asks for authorization",
}

// apiErrCode returns the err_code of an *APIError in err's chain, "" if none.
func apiErrCode(err error) string {
	var e *APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
