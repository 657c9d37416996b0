package viber

import (
	"context"
	"io"
	"net"
	"slices"
)

// EventTypes are the callback event types set_webhook accepts, in the
// order a set_webhook without "event_types" answers them.
var EventTypes = []string{"delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"}

// Webhook is the bot's webhook as last set with set_webhook.
type Webhook struct {
	URL        string   `json:"url"` // "" when not set or removed
	EventTypes []string `json:"event_types"`
	SendName   bool     `json:"send_name"`
	SendPhoto  bool     `json:"send_photo"`
}

// Webhook returns the webhook the bot set.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.EventTypes = slices.Clone(w.EventTypes)
	return w
}

type webhookReply struct {
	header
	EventTypes   []string `json:"event_types,omitempty"`
	ChatHostname string   `json:"chat_hostname"`
}

// setWebhook implements https://creators.viber.com/docs/bots-api/getting-started/web-hooks.
// "url" is required; "" removes the webhook. The URL must be https (http
// is accepted for loopback hosts so local bots can be used), else status 1.
// "event_types" is optional (default EventTypes) and each must be one of
// EventTypes or "message", else status 3. With VerifyClient set the URL
// must answer a signed "webhook" callback with HTTP 200, else status 1.
// The answer echoes the event types.
func (s *Server) setWebhook(ctx context.Context, body []byte) (reply, *apiError) {
	o, err := parseObject(body)
	if err != nil {
		return nil, badData("body is not a JSON object: %v", err)
	}
	rawURL, ok, e := o.str("url")
	if e != nil {
		return nil, e
	}
	if !ok {
		return nil, missingData("url")
	}
	var w Webhook
	if w.SendName, _, e = o.boolean("send_name"); e != nil {
		return nil, e
	}
	if w.SendPhoto, _, e = o.boolean("send_photo"); e != nil {
		return nil, e
	}
	if rawURL == "" {
		s.mu.Lock()
		s.webhook = Webhook{}
		s.mu.Unlock()
		return &webhookReply{ChatHostname: s.ChatHostname}, nil
	}
	u, e := parseURL("url", rawURL)
	if e != nil || u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return nil, &apiError{StatusInvalidURL, "url " + rawURL + " is not https"}
	}
	w.URL = rawURL
	types, ok, e := o.array("event_types")
	if e != nil {
		return nil, e
	}
	if !ok {
		w.EventTypes = slices.Clone(EventTypes)
	}
	for _, raw := range types {
		t, _, e := object{"t": raw}.str("t")
		if e != nil {
			return nil, badData("event_types must be strings")
		}
		if e := oneOf("event_types", t, append(slices.Clone(EventTypes), "message")...); e != nil {
			return nil, e
		}
		if !slices.Contains(w.EventTypes, t) {
			w.EventTypes = append(w.EventTypes, t)
		}
	}
	if s.VerifyClient != nil {
		if e := s.verify(ctx, rawURL); e != nil {
			return nil, e
		}
	}
	s.mu.Lock()
	s.webhook = w
	s.mu.Unlock()
	return &webhookReply{EventTypes: slices.Clone(w.EventTypes), ChatHostname: s.ChatHostname}, nil
}

// verify POSTs a signed "webhook" callback to url, as Viber does before
// accepting a webhook.
func (s *Server) verify(ctx context.Context, url string) *apiError {
	s.mu.Lock()
	token := s.next
	s.next++
	s.mu.Unlock()
	resp, err := s.Deliver(ctx, s.VerifyClient, url, WebhookCallback(token, s.now(), s.ChatHostname))
	if err != nil {
		return &apiError{StatusInvalidURL, "webhook check: " + err.Error()}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return &apiError{StatusInvalidURL, "webhook check: " + resp.Status}
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
