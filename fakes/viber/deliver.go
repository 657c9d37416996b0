package viber

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// Deliver POSTs the callback body to a bot's webhook the way Viber does:
// Content-Type application/json and X-Viber-Content-Signature set to
// Sign(authToken, body). webhookURL "" means the URL the bot set with
// set_webhook (ErrNoWebhook if none); client nil means
// http.DefaultClient. Deliver does not retry.
//
// Before sending it updates the fake's users from the body (see SetUser):
// a message or subscribed event subscribes the sender and a message resets
// the rate-limit count, so a bot replying from inside the webhook request
// sees the state Viber would have. When the event is conversation_started
// and the bot answers HTTP 200 with a body, that body is the welcome
// message: it is validated like send_message without "receiver", logged as
// a "welcome" call and, if valid, recorded in the user's chat with Welcome
// set. The returned response's body can still be read by the caller.
func (s *Server) Deliver(ctx context.Context, client *http.Client, webhookURL string, body []byte) (*http.Response, error) {
	if webhookURL == "" {
		webhookURL = s.Webhook().URL
		if webhookURL == "" {
			return nil, ErrNoWebhook
		}
	}
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("deliver callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(s.authToken, body))
	event, user := s.observe(body)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("deliver callback: %w", err)
	}
	if event != "conversation_started" || resp.StatusCode != http.StatusOK || user.ID == "" {
		return resp, nil
	}
	welcome, err := io.ReadAll(io.LimitReader(resp.Body, MaxRequestBytes+1))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(welcome))
	if err != nil {
		return resp, fmt.Errorf("read welcome message: %w", err)
	}
	s.recordWelcome(user.ID, welcome)
	return resp, nil
}

// recordWelcome validates and records the answer to conversation_started.
// An empty answer is no welcome message and is not logged.
func (s *Server) recordWelcome(userID string, body []byte) {
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	call := Call{Time: s.now(), Method: "welcome", Request: body, HTTPStatus: http.StatusOK}
	m, e := parseSend(body, true)
	if e == nil && len(body) > MaxRequestBytes {
		e = badData("welcome message larger than 30 KB")
	}
	if e != nil {
		call.Status, call.StatusMessage, call.Detail = e.status, StatusMessage(e.status), e.detail
		s.recordCall(call)
		return
	}
	s.mu.Lock()
	m.Receiver, m.Time, m.Welcome = userID, call.Time, true
	m = s.addMessage(m)
	s.mu.Unlock()
	call.Status, call.StatusMessage = StatusOK, StatusMessage(StatusOK)
	call.Detail = fmt.Sprintf("recorded as message_token %d", m.Token)
	s.recordCall(call)
}
