// Package liqpay is a fake of LiqPay's Checkout API (version 3) for tests: an
// http.Handler that takes the checkout form, hosts a card page, POSTs the
// signed server callback to server_url and answers the status and refund
// actions of /api/request, all in LiqPay's data/signature wire format
// (https://www.liqpay.ua/documentation/en/api/aquiring/checkout/doc,
// https://www.liqpay.ua/documentation/en/api/callback).
//
//	fake := liqpay.New("public-key", "private-key")
//	srv := httptest.NewServer(fake)
//	// checkout: srv.URL+"/api/3/checkout", requests: srv.URL+"/api/request"
//
// Card numbers typed into the hosted page are neither logged nor stored: only
// the mask LiqPay itself returns (424242*42) is kept.
package liqpay

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Bounds that keep the fake's memory small whatever a test does.
const (
	MaxOrders      = 10000   // checkout answers an error page beyond this
	MaxCallbackLog = 1000    // Callbacks keeps the newest entries
	maxHistory     = 32      // callbacks kept per order for Resend/SendStale
	maxBody        = 1 << 16 // request body limit
)

// Server is the fake acquirer. Set the exported fields before it serves its
// first request; the methods are safe for concurrent use.
type Server struct {
	// Client delivers callbacks. nil means a client with a 10 s timeout.
	Client *http.Client
	// Now is the clock. nil means time.Now.
	Now func() time.Time
	// Rand is the source of liqpay_order_id values and approval codes. nil
	// means crypto/rand. It is read under the Server's lock, so it need not be
	// safe for concurrent use.
	Rand io.Reader
	// BaseURL is the fake's public URL, used in the hosted page's form
	// action. "" means a root-relative action ("/pay/...").
	BaseURL string

	keyMu                 sync.RWMutex
	publicKey, privateKey string // under keyMu: SetKeys
	mux                   *http.ServeMux
	wg                    sync.WaitGroup

	mu          sync.Mutex
	drop        bool
	unverified  bool // SetShopVerified(false)
	resultPOST  bool
	refundDelay time.Duration
	nextID      int64
	orders      map[string]*order // by order_id
	byLiqpayID  map[string]*order
	seq         []string
	log         []*Callback
}

// New returns a fake that accepts requests signed for publicKey and
// privateKey and signs its callbacks with privateKey.
func New(publicKey, privateKey string) *Server {
	s := &Server{
		publicKey:  publicKey,
		privateKey: privateKey,
		nextID:     1000000,
		orders:     make(map[string]*order),
		byLiqpayID: make(map[string]*order),
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/api/3/checkout", s.handleCheckout)
	s.mux.HandleFunc("/api/request", s.handleRequest)
	s.mux.HandleFunc("GET /pay/{id}", s.handlePage)
	s.mux.HandleFunc("POST /pay/{id}", s.handlePagePay)
	return s
}

var _ http.Handler = (*Server)(nil)

// ServeHTTP serves POST /api/3/checkout, POST /api/request and the hosted
// page under /pay/{liqpay_order_id}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// SetDropCallbacks makes the fake lose (true) or deliver (false) callbacks
// caused by later payments and refunds. Lost callbacks are still logged,
// with Dropped set, and the status changes all the same.
func (s *Server) SetDropCallbacks(drop bool) {
	s.mu.Lock()
	s.drop = drop
	s.mu.Unlock()
}

// SetResultMethod chooses how the buyer returns to result_url: "GET" (the
// default, a 303 redirect) or "POST" (an auto-submitting form carrying the
// signed data and signature, as some integrations observe). LiqPay does not
// document which one it uses.
func (s *Server) SetResultMethod(method string) {
	s.mu.Lock()
	s.resultPOST = strings.EqualFold(method, http.MethodPost)
	s.mu.Unlock()
}

// Wait blocks until callbacks sent in the background (after a refund) are
// delivered.
func (s *Server) Wait() { s.wg.Wait() }

func (s *Server) now() time.Time       { return fakebank.Now(s.Now) }
func (s *Server) client() *http.Client { return fakebank.Client(s.Client) }
func (s *Server) rand() io.Reader      { return fakebank.Rand(s.Rand) }
