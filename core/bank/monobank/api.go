package monobank

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
)

// APIError is an answer of the API other than 200: the HTTP status and the
// body's errCode and errText ({"errCode":"BAD_REQUEST","errText":"…"}). The
// docs say errText is for people only; code looks at Status and Code.
type APIError struct {
	Status int
	Code   string
	Text   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("monobank answered %d %s: %s", e.Status, e.Code, e.Text)
}

// call makes one API call with the merchant's token (bank.Env.Call):
// method to path, in the JSON of in (nil for none), decoding a 200 answer
// into out (nil to ignore it). A transport failure, 429 and 5xx are
// errs.Unavailable (temporary: the caller may retry); other statuses wrap
// an *APIError: errs.Refused for 401 and 403 (the token is wrong:
// permanent), errs.NotFound for 404, errs.Invalid for other 4xx.
func (b *Bank) call(ctx context.Context, token, method, path string, in, out any) error {
	header := http.Header{"X-Token": {token}, "Accept": {"application/json"}}
	var body io.Reader
	if in != nil {
		js, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode %s: %w", path, err)
		}
		body = bytes.NewReader(js)
		header.Set("Content-Type", "application/json")
	}
	status, raw, err := b.env.Call(ctx, bank.Request{
		Bank: Name, What: method + " " + path,
		Method: method, URL: b.api + path, Body: body, Header: header,
	})
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return apiError(status, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return errs.Wrap(errs.Unavailable, fmt.Errorf("%s %s: malformed answer: %w", method, path, err), "monobank unavailable")
	}
	return nil
}

func apiError(status int, raw []byte) error {
	e := &APIError{Status: status}
	var body struct {
		ErrCode string `json:"errCode"`
		ErrText string `json:"errText"`
	}
	if json.Unmarshal(raw, &body) == nil {
		e.Code, e.Text = body.ErrCode, body.ErrText
	}
	if len(e.Text) > 200 {
		e.Text = e.Text[:200]
	}
	code := errs.Unavailable
	switch {
	case status == http.StatusNotFound:
		code = errs.NotFound
	case status == http.StatusForbidden || status == http.StatusUnauthorized:
		return errs.Wrap(errs.Refused, e, "monobank refused the merchant's token")
	case status == http.StatusTooManyRequests || status >= 500:
		code = errs.Unavailable
	case status >= 400:
		code = errs.Invalid
	}
	return errs.Wrap(code, e, "monobank refused the request")
}

// apiCode returns the errCode of an *APIError in err's chain, "" if none.
func apiCode(err error) (status int, code string) {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status, e.Code
	}
	return 0, ""
}
