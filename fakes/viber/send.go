package viber

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"path"
	"strings"
)

// send_message limits from
// https://creators.viber.com/docs/bots-api/resources/messaging/send-message.
const (
	maxSenderName   = 28
	maxTrackingData = 4000 // the old docs say 4096; the newer 4000 is enforced
	maxText         = 7000
	// maxPictureText is the old docs' 120; newer docs allow 768. The fake
	// enforces the stricter limit the product is told to keep to.
	maxPictureText = 120
	maxURLMedia    = 2000
	maxFileName    = 256
	maxFileSize    = 50 << 20
)

// messageTypes are the send_message "type" values the API accepts.
var messageTypes = []string{"text", "picture", "video", "file", "location", "contact", "sticker", "rich_media", "url"}

// sendReply is the answer to send_message.
type sendReply struct {
	header
	MessageToken  uint64 `json:"message_token"`
	ChatHostname  string `json:"chat_hostname"`
	BillingStatus int    `json:"billing_status"`
}

// sendMessage implements https://creators.viber.com/docs/bots-api/resources/messaging/send-message:
// it validates the body (parseSend), checks the receiver (RequireSubscribed,
// MaxUnanswered) and records the message under the next token.
func (s *Server) sendMessage(_ context.Context, body []byte) (reply, *apiError) {
	m, e := parseSend(body, false)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e := s.admit(m.Receiver, now); e != nil {
		return nil, e
	}
	m.Time = now
	m = s.addMessage(m)
	// billing_status 1 is the value in the docs' example answer.
	return &sendReply{MessageToken: m.Token, ChatHostname: s.ChatHostname, BillingStatus: 1}, nil
}

// parseSend validates a send_message body and returns the message it asks
// to send, without Receiver checks when welcome is true (a welcome message
// is the send_message JSON without "receiver", returned as the response to
// conversation_started). Token and Time are left for the caller.
// Missing required fields answer status 4 (missingData); present but
// invalid ones status 3 (badData).
func parseSend(body []byte, welcome bool) (Message, *apiError) {
	var m Message
	o, err := parseObject(body)
	if err != nil {
		return m, badData("body is not a JSON object: %v", err)
	}
	var e *apiError
	if !welcome {
		if m.Receiver, _, e = o.str("receiver"); e != nil {
			return m, e
		}
		if m.Receiver == "" {
			return m, missingData("receiver")
		}
	}
	if m.Type, _, e = o.str("type"); e != nil {
		return m, e
	}
	if m.Type == "" {
		return m, missingData("type")
	}
	if e := oneOf("type", m.Type, messageTypes...); e != nil {
		return m, e
	}
	sender, _, e := o.obj("sender")
	if e != nil {
		return m, e
	}
	if m.SenderName, _, e = sender.str("name"); e != nil {
		return m, prefix("sender.", e)
	}
	if m.SenderName == "" {
		return m, missingData("sender.name")
	}
	if e := maxLen("sender.name", m.SenderName, maxSenderName); e != nil {
		return m, e
	}
	if m.SenderAvatar, _, e = sender.str("avatar"); e != nil {
		return m, prefix("sender.", e)
	}
	if m.TrackingData, _, e = o.str("tracking_data"); e != nil {
		return m, e
	}
	if e := maxLen("tracking_data", m.TrackingData, maxTrackingData); e != nil {
		return m, e
	}
	m.MinAPIVersion = 1
	if v, ok, e := o.integer("min_api_version"); e != nil {
		return m, e
	} else if ok {
		if v < 1 {
			return m, badData("min_api_version %d is below 1", v)
		}
		m.MinAPIVersion = int(v)
	}
	if kb, ok := o.raw("keyboard"); ok {
		if e := validateKeyboard(kb, int64(m.MinAPIVersion)); e != nil {
			return m, e
		}
		m.Keyboard = compact(kb)
	}
	if e := parseContent(o, &m); e != nil {
		return m, e
	}
	m.Raw = compact(body)
	return m, nil
}

// parseContent checks the fields that depend on the message type.
func parseContent(o object, m *Message) *apiError {
	var e *apiError
	if m.Text, _, e = o.str("text"); e != nil {
		return e
	}
	if m.Media, _, e = o.str("media"); e != nil {
		return e
	}
	if m.Thumbnail, _, e = o.str("thumbnail"); e != nil {
		return e
	}
	if m.Thumbnail != "" {
		if _, e := parseURL("thumbnail", m.Thumbnail); e != nil {
			return e
		}
	}
	switch m.Type {
	case "text":
		if m.Text == "" {
			return missingData("text")
		}
		return maxLen("text", m.Text, maxText)
	case "picture":
		if _, ok := o.raw("text"); !ok {
			return missingData("text") // required, but may be ""
		}
		if e := maxLen("text", m.Text, maxPictureText); e != nil {
			return e
		}
		u, e := mediaURL(m.Media)
		if e != nil {
			return e
		}
		ext := strings.ToLower(path.Ext(u.Path))
		if ext != ".jpeg" && ext != ".png" && ext != ".gif" {
			return badData("media %q: the last path segment must end in .jpeg, .png or .gif", m.Media)
		}
	case "video":
		if _, e := mediaURL(m.Media); e != nil {
			return e
		}
	case "url":
		if _, e := mediaURL(m.Media); e != nil {
			return e
		}
		return maxLen("media", m.Media, maxURLMedia)
	case "file":
		if _, e := mediaURL(m.Media); e != nil {
			return e
		}
		name, _, e := o.str("file_name")
		if e != nil {
			return e
		}
		if name == "" {
			return missingData("file_name")
		}
		if e := maxLen("file_name", name, maxFileName); e != nil {
			return e
		}
		size, ok, e := o.integer("size")
		if e != nil {
			return e
		}
		if !ok {
			return missingData("size")
		}
		return inRange("size", size, 1, maxFileSize)
	case "location":
		return requireFields(o, "location", "lat", "lon")
	case "contact":
		return requireFields(o, "contact", "name", "phone_number")
	case "sticker":
		if _, ok, e := o.integer("sticker_id"); e != nil {
			return e
		} else if !ok {
			return missingData("sticker_id")
		}
	case "rich_media":
		if _, ok, e := o.obj("rich_media"); e != nil {
			return e
		} else if !ok {
			return missingData("rich_media")
		}
	}
	return nil
}

func mediaURL(media string) (*url.URL, *apiError) {
	if media == "" {
		return nil, missingData("media")
	}
	return parseURL("media", media)
}

// requireFields checks that o[key] is an object holding every field.
func requireFields(o object, key string, fields ...string) *apiError {
	inner, ok, e := o.obj(key)
	if e != nil {
		return e
	}
	if !ok {
		return missingData(key)
	}
	for _, f := range fields {
		if _, ok := inner.raw(f); !ok {
			return missingData(key + "." + f)
		}
	}
	return nil
}

// compact returns raw without insignificant space, for the log.
func compact(raw []byte) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return append(json.RawMessage(nil), raw...)
	}
	return b.Bytes()
}
