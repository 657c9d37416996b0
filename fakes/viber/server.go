package viber

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"sync"
	"time"
)

const (
	// FirstMessageToken is the message_token of the first message a Server
	// accepts; each later one is one higher. It is above 2^53 (like real
	// tokens, e.g. 5741311803571721087 in the send_message docs), so
	// consecutive tokens collide when decoded into float64.
	FirstMessageToken uint64 = 5741311803571721087
	// DefaultChatHostname is the "chat_hostname" a new Server answers with.
	DefaultChatHostname = "SN-CHAT-01_"
	// MaxRequestBytes is the documented maximum JSON size of an API request
	// (30 KB); larger bodies answer status 3 (badData).
	MaxRequestBytes = 30 * 1024
	// AuthHeader carries the bot's auth token on every API call.
	AuthHeader = "X-Viber-Auth-Token"
	// SignatureHeader carries [Sign] of a callback body.
	SignatureHeader = "X-Viber-Content-Signature"
	// DefaultMaxUnanswered is the documented send_message limit: 100
	// messages to one user within an hour without a reply.
	DefaultMaxUnanswered = 100
)

// Server is a fake Viber REST Bot API. Create it with [New]; set the
// exported fields before serving the first request. All methods are safe
// for concurrent use.
type Server struct {
	// Now is the clock used for the call log, message times and the rate
	// limit. New sets time.Now.
	Now func() time.Time
	// ChatHostname is sent as "chat_hostname" in answers.
	ChatHostname string
	// Account is what get_account_info answers, together with the webhook
	// and the number of subscribed users.
	Account Account
	// RequireSubscribed makes send_message answer status 6
	// (receiverNotSubscribed) for a receiver that is not subscribed: one
	// that never sent a message or a subscribed event through Deliver, and
	// was not added with SetUser. Off by default, so tests can send to any
	// receiver.
	RequireSubscribed bool
	// MaxUnanswered is how many messages one user may get within an hour
	// without replying before send_message answers status 12
	// (tooManyRequests). A message callback sent through Deliver resets the
	// count. New sets DefaultMaxUnanswered; 0 disables the limit.
	MaxUnanswered int
	// VerifyClient, when set, makes set_webhook POST a signed "webhook"
	// callback to the new URL, as Viber does, and answer status 1
	// (invalidUrl) unless the bot answers HTTP 200. Nil skips the check.
	VerifyClient *http.Client

	authToken string

	mu        sync.Mutex
	next      uint64 // next message_token
	calls     []Call
	chats     map[string][]Message
	chatOrder []string
	users     map[string]*userState
	userOrder []string
	webhook   Webhook
	faults    map[string][]fault
	changed   chan struct{} // closed and replaced when a message is recorded
}

var _ http.Handler = (*Server)(nil)

// New returns a Server that accepts calls carrying authToken in the
// X-Viber-Auth-Token header.
func New(authToken string) *Server {
	return &Server{
		Now:           time.Now,
		ChatHostname:  DefaultChatHostname,
		Account:       defaultAccount(),
		MaxUnanswered: DefaultMaxUnanswered,
		authToken:     authToken,
		next:          FirstMessageToken,
		chats:         map[string][]Message{},
		users:         map[string]*userState{},
		faults:        map[string][]fault{},
		changed:       make(chan struct{}),
	}
}

// handler serves one API method. It returns the success answer (status 0
// is filled in by ServeHTTP) or the error to answer with.
type handler func(s *Server, ctx context.Context, body []byte) (reply, *apiError)

// reply is a success answer: a pointer to a struct embedding header.
type reply interface{ set(header) }

var handlers = map[string]handler{
	"send_message":     (*Server).sendMessage,
	"set_webhook":      (*Server).setWebhook,
	"get_account_info": (*Server).getAccountInfo,
	"get_user_details": (*Server).getUserDetails,
}

// ServeHTTP answers POST .../<method> for the implemented methods.
// Unknown methods get HTTP 404 (as the real API does for invalid URLs),
// other HTTP methods 405. Every answer to an implemented method is HTTP 200
// with {"status":N,"status_message":...} unless a fault injected with
// FailHTTP says otherwise. A missing or wrong auth token answers status 2.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := path.Base(r.URL.Path)
	h, ok := handlers[method]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	call := Call{Time: s.now(), Method: method, Request: body}
	if err != nil {
		call.Detail = "read body: " + err.Error()
		s.answerHTTP(w, &call, http.StatusBadRequest)
		return
	}
	if f, ok := s.takeFault(method); ok {
		call.Detail = "injected fault"
		if f.httpStatus != 0 {
			s.answerHTTP(w, &call, f.httpStatus)
			return
		}
		s.answer(w, &call, f.status, StatusMessage(f.status), nil)
		return
	}
	tokens := r.Header.Values(AuthHeader)
	switch {
	case len(tokens) == 0:
		call.Detail = "no " + AuthHeader + " header"
		s.answer(w, &call, StatusInvalidAuthToken, missingAuthToken, nil)
		return
	case subtle.ConstantTimeCompare([]byte(tokens[0]), []byte(s.authToken)) != 1:
		call.Detail = "wrong auth token"
		s.answer(w, &call, StatusInvalidAuthToken, StatusMessage(StatusInvalidAuthToken), nil)
		return
	}
	if len(body) > MaxRequestBytes {
		call.Detail = "request larger than 30 KB"
		s.answer(w, &call, StatusBadData, StatusMessage(StatusBadData), nil)
		return
	}
	resp, e := h(s, r.Context(), body)
	if e != nil {
		call.Detail = e.detail
		s.answer(w, &call, e.status, StatusMessage(e.status), nil)
		return
	}
	s.answer(w, &call, StatusOK, StatusMessage(StatusOK), resp)
}

// header is the start of every answer. Success answers embed it.
type header struct {
	Status        int    `json:"status"`
	StatusMessage string `json:"status_message"`
}

func (h *header) set(v header) { *h = v }

// errorReply is the answer to a rejected call.
type errorReply struct {
	header
	ChatHostname string `json:"chat_hostname,omitempty"`
}

// answer writes an HTTP 200 JSON answer and logs call. resp, when not nil,
// is a success answer whose header answer fills in; nil answers an error.
func (s *Server) answer(w http.ResponseWriter, call *Call, status int, msg string, resp reply) {
	h := header{Status: status, StatusMessage: msg}
	if resp == nil {
		resp = &errorReply{ChatHostname: s.ChatHostname}
	}
	resp.set(h)
	b, err := json.Marshal(resp)
	if err != nil {
		call.Detail = "encode answer: " + err.Error()
		s.answerHTTP(w, call, http.StatusInternalServerError)
		return
	}
	call.HTTPStatus, call.Status, call.StatusMessage, call.Response = http.StatusOK, status, msg, b
	s.recordCall(*call)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// answerHTTP writes a transport-level (non-JSON) answer and logs call.
func (s *Server) answerHTTP(w http.ResponseWriter, call *Call, code int) {
	call.HTTPStatus = code
	call.Response = []byte(http.StatusText(code))
	s.recordCall(*call)
	http.Error(w, http.StatusText(code), code)
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}
