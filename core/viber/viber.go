// Package viber adapts the operator's conversation (package bot) to the
// Viber REST Bot API (https://developers.viber.com/docs/api/rest-bot-api/,
// https://creators.viber.com/docs/bots-api/): it authenticates and parses
// webhook callbacks into bot events, turns bot replies into send_message
// calls, and delivers check notifications.
//
// The client is written by hand over net/http and encoding/json: the API is
// a few JSON POSTs, and the Go libraries for it hard-code the API URL, hide
// their *http.Client or answer webhooks from goroutines that a Worker would
// never run.
package viber

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/paylastic/edge/core/text"
)

// Messenger is the name of this messenger in operator bindings and checks.
const Messenger = "viber"

// DefaultAPIURL is the REST Bot API; method names follow it ("/send_message").
const DefaultAPIURL = "https://chatapi.viber.com/pa"

// AuthHeader carries the bot's auth token on every API call.
const AuthHeader = "X-Viber-Auth-Token"

// DefaultSenderName is the bot's name on its messages ("sender.name" is
// required, at most 28 characters).
const DefaultSenderName = "PayLastic"

// maxAnswer bounds what is read of an API answer (they are a few hundred bytes).
const maxAnswer = 64 << 10

// Client calls the REST Bot API for one bot. It holds no connection state:
// a zero Client with a Token works, over http.DefaultClient.
type Client struct {
	Token      string       // VIBER_AUTH_TOKEN
	APIURL     string       // VIBER_API_URL; DefaultAPIURL if empty
	HTTP       *http.Client // outbound HTTP; http.DefaultClient if nil
	SenderName string       // DefaultSenderName if empty
	// Log receives what a Sender of this client handles itself: a second
	// message dropped before the user subscribed, a check's details that
	// did not follow its picture. API failures are returned, not logged.
	Log *slog.Logger
}

// status is the head of every API answer: 0 is success
// (https://developers.viber.com/docs/api/rest-bot-api/#error-codes).
type status struct {
	Status        *int   `json:"status"`
	StatusMessage string `json:"status_message"`
}

// call POSTs req as JSON to method and decodes the answer into resp (which
// may be nil). Every failure is an *APIError, logged (see fail): no answer,
// an HTTP status other than 200, an answer that is not JSON, or a
// "status" other than 0 (application errors come as HTTP 200).
func (c *Client) call(ctx context.Context, method string, req, resp any) error {
	body, err := marshal(req)
	if err != nil {
		return fmt.Errorf("viber %s: %w", method, err)
	}
	base := c.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/"+method, bytes.NewReader(body))
	if err != nil {
		return c.fail(&APIError{Method: method, Description: err.Error()})
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(AuthHeader, c.Token)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(hr)
	if err != nil {
		return c.fail(&APIError{Method: method, Description: err.Error()})
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return c.fail(&APIError{Method: method, HTTPStatus: res.StatusCode, Status: NoStatus, Description: "read answer: " + err.Error()})
	}
	if res.StatusCode != http.StatusOK {
		return c.fail(&APIError{Method: method, HTTPStatus: res.StatusCode, Status: NoStatus, Description: text.Clip(strings.TrimSpace(string(raw)), 200)})
	}
	var st status
	if err := json.Unmarshal(raw, &st); err != nil || st.Status == nil {
		return c.fail(&APIError{Method: method, HTTPStatus: res.StatusCode, Status: NoStatus, Description: "answer is not a Viber status: " + text.Clip(string(raw), 200)})
	}
	if *st.Status != StatusOK {
		return c.fail(&APIError{Method: method, HTTPStatus: res.StatusCode, Status: *st.Status, Description: st.StatusMessage})
	}
	if resp != nil {
		if err := json.Unmarshal(raw, resp); err != nil {
			return c.fail(&APIError{Method: method, HTTPStatus: res.StatusCode, Status: NoStatus, Description: "decode answer: " + err.Error()})
		}
	}
	return nil
}

// marshal encodes v as JSON without escaping <, > and & (texts are sent as
// they are written; Viber reads JSON, not HTML).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func (c *Client) senderName() string {
	if c.SenderName != "" {
		return text.Clip(c.SenderName, maxSenderName)
	}
	return DefaultSenderName
}
