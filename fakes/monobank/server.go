// Package monobank is a fake of monobank acquiring ("Plata by mono") for
// tests: an http.Handler that speaks the wire format of
// https://api.monobank.ua/docs/acquiring.html, hosts a card page, and sends
// webhooks signed with X-Sign like the real bank.
//
//	fake := monobank.New("test-token")
//	srv := httptest.NewServer(fake)
//	// point the client at srv.URL; the buyer's pageUrl is srv.URL+"/pay/{id}"
//
// Card numbers typed into the hosted page are neither logged nor stored: only
// the masked PAN monobank itself returns is kept.
package monobank

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Bounds that keep the fake's memory small whatever a test does.
const (
	MaxInvoices   = 10000   // invoice/create answers 429 beyond this
	MaxWebhookLog = 1000    // Webhooks keeps the newest entries
	maxHistory    = 32      // bodies kept per invoice for Resend/SendStale
	maxBody       = 1 << 16 // request body limit
	webhookTries  = 3       // "до 3-х спроб POST запиту, поки ... 200 OK"
)

// Server is the fake acquirer. Set the exported fields before it serves its
// first request; the methods are safe for concurrent use.
type Server struct {
	// Client delivers webhooks. nil means a client with a 10 s timeout.
	Client *http.Client
	// Now is the clock. nil means time.Now.
	Now func() time.Time
	// Rand is the source of invoice ids and approval codes. nil means
	// crypto/rand. It is read under the Server's lock, so it need not be
	// safe for concurrent use.
	Rand io.Reader
	// BaseURL is the fake's public URL, used for pageUrl. "" means the
	// scheme and Host of the invoice/create request.
	BaseURL string

	token   string
	tokenMu sync.RWMutex // guards token (SetToken)
	mux     *http.ServeMux
	wg      sync.WaitGroup

	mu          sync.Mutex
	key         *ecdsa.PrivateKey
	keyB64      string
	rotateEvery int
	signed      int
	pubkeyHits  int
	drop        bool
	refundDelay time.Duration
	invoices    map[string]*invoice
	order       []string
	log         []*Webhook
}

// New returns a fake that accepts token as X-Token and signs webhooks with a
// freshly generated ECDSA P-256 key.
func New(token string) *Server {
	s := &Server{token: token, invoices: make(map[string]*invoice)}
	s.rotateLocked()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/api/merchant/pubkey", s.api(http.MethodGet, s.handlePubkey))
	s.mux.HandleFunc("/api/merchant/details", s.api(http.MethodGet, s.handleDetails))
	s.mux.HandleFunc("/api/merchant/invoice/create", s.api(http.MethodPost, s.handleCreate))
	s.mux.HandleFunc("/api/merchant/invoice/status", s.api(http.MethodGet, s.handleStatus))
	s.mux.HandleFunc("/api/merchant/invoice/cancel", s.api(http.MethodPost, s.handleCancel))
	s.mux.HandleFunc("/api/merchant/invoice/remove", s.api(http.MethodPost, s.handleRemove))
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, codeNotFound, "not found")
	})
	s.mux.HandleFunc("GET /pay/{invoiceId}", s.handlePage)
	s.mux.HandleFunc("POST /pay/{invoiceId}", s.handlePagePay)
	return s
}

var _ http.Handler = (*Server)(nil)

// ServeHTTP serves the API under /api/merchant/ and the hosted page under
// /pay/{invoiceId}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// SetDropWebhooks makes the fake lose (true) or deliver (false) webhooks
// caused by later status changes. Lost webhooks are still logged, with
// Dropped set, and the status changes all the same.
func (s *Server) SetDropWebhooks(drop bool) {
	s.mu.Lock()
	s.drop = drop
	s.mu.Unlock()
}

// RotateKey replaces the signing key pair. Webhooks are signed with the new
// key and GET /api/merchant/pubkey serves it from now on, so a client's cached
// key stops verifying.
func (s *Server) RotateKey() {
	s.mu.Lock()
	s.rotateLocked()
	s.mu.Unlock()
}

// SetPublicKeyRotation makes the fake rotate its key pair (see RotateKey)
// right before signing every n-th webhook it sends; n <= 0 turns it off.
// With n = 1 every webhook is signed by a key the client has not seen yet.
func (s *Server) SetPublicKeyRotation(n int) {
	s.mu.Lock()
	s.rotateEvery, s.signed = n, 0
	s.mu.Unlock()
}

// PublicKey returns the current key as GET /api/merchant/pubkey serves it.
func (s *Server) PublicKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyB64
}

// PubkeyRequests returns how many times GET /api/merchant/pubkey was served.
func (s *Server) PubkeyRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pubkeyHits
}

// Wait blocks until webhooks sent in the background (after a refund) are
// delivered.
func (s *Server) Wait() { s.wg.Wait() }

func (s *Server) rotateLocked() {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("fake monobank: generate key: " + err.Error())
	}
	s.key, s.keyB64 = k, mustEncodeKey(&k.PublicKey)
}

func (s *Server) now() time.Time       { return fakebank.Now(s.Now) }
func (s *Server) client() *http.Client { return fakebank.Client(s.Client) }
func (s *Server) rand() io.Reader      { return fakebank.Rand(s.Rand) }
