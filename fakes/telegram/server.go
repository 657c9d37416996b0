package telegram

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is a fake Bot API server for one bot token. Serve it with
// httptest.NewServer and point the bot at its URL. The zero value is not
// usable: call New.
type Server struct {
	token string

	mu           sync.Mutex
	now          func() time.Time
	latency      time.Duration
	changed      chan struct{} // closed and replaced whenever a call, update or reset happens
	calls        []Call
	chats        map[int64]*chat
	order        []msgRef // all messages, oldest first, for eviction
	files        fileStore
	faults       map[string][]*fault
	webhook      Webhook
	updates      []queuedUpdate
	nextUpdateID int64
	pollAllowed  []string
	querySeq     int
	queries      map[string]*query // callback queries issued by PressButton
	queryOrder   []string          // their ids, oldest first, for eviction
	toastOrder   []string          // ids of the answered ones, in answer order
}

var _ http.Handler = (*Server)(nil)

// New returns a fake that accepts requests for token only; other tokens are
// answered 401 "Unauthorized". Its clock is time.Now.
func New(token string) *Server {
	s := &Server{token: token, now: time.Now}
	s.resetLocked()
	return s
}

// SetClock sets the clock used for message dates and call times.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Reset forgets all calls, messages, uploads, queued updates, callback
// queries, faults, the latency and the webhook, as New would; it keeps the token and the clock.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func (s *Server) resetLocked() {
	if s.changed != nil {
		close(s.changed)
	}
	s.changed = make(chan struct{})
	s.latency = 0
	s.calls = nil
	s.chats = map[int64]*chat{}
	s.order = nil
	s.files = fileStore{}
	s.faults = map[string][]*fault{}
	s.webhook = Webhook{}
	s.updates = nil
	s.nextUpdateID = 1
	s.pollAllowed = nil
	s.queries = map[string]*query{}
	s.queryOrder, s.toastOrder = nil, nil
}

// notifyLocked wakes everyone waiting for a change (WaitCalls, getUpdates).
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

type handler func(*Server, *call) (any, *apiError)

// method is one Bot API method the fake answers: its canonical name (the
// Bot API matches names case-insensitively) and its handler.
type method struct {
	name string
	fn   handler
}

// methods maps lower-cased method names to their canonical name and handler.
// It is built once from a literal table and never written after.
var methods = methodTable(map[string]handler{
	"getMe":                  (*Server).getMe,
	"sendMessage":            (*Server).sendMessage,
	"sendPhoto":              (*Server).sendPhoto,
	"answerCallbackQuery":    (*Server).answerCallbackQuery,
	"editMessageText":        (*Server).editMessageText,
	"editMessageCaption":     (*Server).editMessageCaption,
	"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
	"deleteMessage":          (*Server).deleteMessage,
	"setWebhook":             (*Server).setWebhook,
	"deleteWebhook":          (*Server).deleteWebhook,
	"getWebhookInfo":         (*Server).getWebhookInfo,
	"getUpdates":             (*Server).getUpdates,
})

// methodTable keys each handler by its lower-cased name.
func methodTable(byName map[string]handler) map[string]method {
	t := make(map[string]method, len(byName))
	for name, fn := range byName {
		t[strings.ToLower(name)] = method{name: name, fn: fn}
	}
	return t
}

// ServeHTTP answers POST or GET /bot<token>/<method> (also
// /bot<token>/test/<method>, telego's WithTestServerPath) like the Bot API.
// Every such request is recorded, failures included.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, ok := splitPath(r.URL.Path)
	if !ok || (r.Method != http.MethodPost && r.Method != http.MethodGet) {
		writeAnswer(w, nil, errNotFound)
		return
	}
	c := &call{ctx: r.Context(), method: method}
	m, known := methods[strings.ToLower(method)]
	if known {
		c.method = m.name
	}
	p, uploads, aerr := readRequest(r)
	c.params, c.uploads = p, uploads
	if !s.sleep(r.Context()) {
		return
	}
	var result any
	switch {
	case token != s.token:
		aerr = errUnauthorized
	case !known:
		aerr = errNotFound
	case aerr != nil:
	default:
		s.mu.Lock()
		aerr = s.takeFaultLocked(strings.ToLower(c.method))
		s.mu.Unlock()
		if aerr == nil {
			result, aerr = m.fn(s, c)
		}
	}
	s.mu.Lock()
	if aerr != nil {
		s.recordLocked(c, aerr.status, aerr.description)
	} else {
		s.recordLocked(c, http.StatusOK, "")
	}
	s.mu.Unlock()
	writeAnswer(w, result, aerr)
}

// splitPath splits /bot<token>/<method> or /bot<token>/test/<method>.
func splitPath(path string) (token, method string, ok bool) {
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	method = strings.TrimPrefix(method, "test/")
	return token, method, ok && method != "" && !strings.Contains(method, "/")
}

// envelope is the Bot API answer (https://core.telegram.org/bots/api#making-requests).
type envelope struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *wireParameters `json:"parameters,omitempty"`
}

type wireParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func writeAnswer(w http.ResponseWriter, result any, aerr *apiError) {
	env := envelope{OK: aerr == nil, Result: result}
	status := http.StatusOK
	if d, ok := result.(described); ok {
		env.Result, env.Description = d.result, d.description
	}
	if aerr != nil {
		status = aerr.status
		env.ErrorCode, env.Description = aerr.status, aerr.description
		if aerr.retryAfter > 0 {
			env.Parameters = &wireParameters{RetryAfter: aerr.retryAfter}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(marshal(env))
}
