package viber

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/paylastic/edge/fakes/internal/waitfor"
)

// Bounds on what a Server remembers; the oldest entries are dropped first.
const (
	MaxCalls           = 1000  // entries in the call log
	MaxMessagesPerChat = 500   // messages kept per receiver
	MaxChats           = 1000  // receivers with a kept chat
	MaxUsers           = 10000 // users whose subscription and rate count are tracked
)

// Call is one API call the fake answered, in arrival order.
type Call struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"` // "send_message", …; "welcome" for a welcome message returned to Deliver
	// Request is the raw request body (at most MaxRequestBytes+1 bytes).
	Request []byte `json:"request"`
	// HTTPStatus is 200 for every JSON answer; other values come from
	// FailHTTP or an unreadable body.
	HTTPStatus int `json:"http_status"`
	// Status and StatusMessage are the Viber "status" and "status_message"
	// answered; meaningful only when HTTPStatus is 200.
	Status        int    `json:"status"`
	StatusMessage string `json:"status_message"`
	// Detail says why a call was rejected (not sent on the wire).
	Detail   string `json:"detail,omitempty"`
	Response []byte `json:"response"`
}

// Message is one message the bot sent to a user, as the chat shows it.
// Keyboard and Raw are compacted JSON; treat them as read-only.
type Message struct {
	// Token is the message_token answered for it. It is encoded as a JSON
	// string because browsers decode numbers into float64.
	Token         uint64          `json:"message_token,string"`
	Time          time.Time       `json:"time"`
	Receiver      string          `json:"receiver"`
	Type          string          `json:"type"`
	Text          string          `json:"text,omitempty"`
	Media         string          `json:"media,omitempty"`
	Thumbnail     string          `json:"thumbnail,omitempty"`
	Keyboard      json.RawMessage `json:"keyboard,omitempty"`
	TrackingData  string          `json:"tracking_data,omitempty"`
	SenderName    string          `json:"sender_name"`
	SenderAvatar  string          `json:"sender_avatar,omitempty"`
	MinAPIVersion int             `json:"min_api_version"`
	// Welcome marks the message a bot returned in its answer to a
	// conversation_started callback sent with Deliver.
	Welcome bool `json:"welcome,omitempty"`
	// Raw is the whole send_message body.
	Raw json.RawMessage `json:"raw"`
}

// recordCall appends c to the call log.
func (s *Server) recordCall(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = appendBounded(s.calls, c, MaxCalls)
}

// addMessage gives m the next token and appends it to its chat. s.mu must
// be held.
func (s *Server) addMessage(m Message) Message {
	m.Token = s.next
	s.next++
	chat, ok := s.chats[m.Receiver]
	if !ok {
		s.chatOrder = append(s.chatOrder, m.Receiver)
		if len(s.chatOrder) > MaxChats {
			delete(s.chats, s.chatOrder[0])
			s.chatOrder = slices.Delete(s.chatOrder, 0, 1)
		}
	}
	s.chats[m.Receiver] = appendBounded(chat, m, MaxMessagesPerChat)
	close(s.changed)
	s.changed = make(chan struct{})
	return m
}

func appendBounded[T any](list []T, v T, max int) []T {
	if len(list) >= max {
		list = slices.Delete(list, 0, len(list)-max+1)
	}
	return append(list, v)
}

// NextMessageToken reserves a message_token for a callback the caller
// builds (something the user sent), from the counter that numbers the bot's
// messages. Viber's tokens grow with time across a chat, so what the user
// sent and what the bot sent sort into the order they happened.
func (s *Server) NextMessageToken() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.next
	s.next++
	return t
}

// Calls returns a copy of the call log, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// CallsOf returns the recorded calls of method, oldest first; "" is any
// method.
func (s *Server) CallsOf(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		return slices.Clone(s.calls)
	}
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns the messages the bot sent to receiver, oldest first:
// those accepted by send_message and welcome messages recorded by Deliver.
func (s *Server) Messages(receiver string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.chats[receiver])
}

// Receivers returns the users the bot has sent messages to, in the order
// of their first message.
func (s *Server) Receivers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.chatOrder)
}

// Reset forgets the call log, the messages, pending faults and the rate
// limit counts. It keeps the webhook, known users and subscriptions, and
// the token counter, so tokens stay unique for the life of the Server.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.chats = map[string][]Message{}
	s.chatOrder = nil
	s.faults = map[string][]fault{}
	for _, u := range s.users {
		u.unanswered = nil
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitMessages waits up to timeout (wall-clock time, not Now) until at
// least n messages were sent to receiver and returns all of them. On
// timeout it returns what arrived and an error wrapping ErrTimeout.
// n above MaxMessagesPerChat can never be reached.
func (s *Server) WaitMessages(receiver string, n int, timeout time.Duration) ([]Message, error) {
	msgs, ok := waitfor.Count(n, timeout, func() ([]Message, <-chan struct{}) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return slices.Clone(s.chats[receiver]), s.changed
	})
	if !ok {
		return msgs, fmt.Errorf("wait for %d messages to %s: got %d after %v: %w", n, receiver, len(msgs), timeout, ErrTimeout)
	}
	return msgs, nil
}
