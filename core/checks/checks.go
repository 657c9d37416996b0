// Package checks is what the product does with checks, for every messenger
// and every bank: create, show, cancel, apply a bank's word, list, expire,
// reconcile and notify. It talks to KV, the bank and the operator's messenger
// only through ports.
package checks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/internal/jsonmemo"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Notifier tells an operator about a check, in the chat that created it.
// Messenger adapters implement it; a returned error leaves the notice pending
// for the scheduled pass to retry.
type Notifier interface {
	Notify(ctx context.Context, chk check.Check, n check.Notice) error
}

// Service runs the use cases. Every field is required but StatesInKVBefore.
type Service struct {
	// KV keeps what may lag: the checks' records (written once) and the
	// lists their keys make.
	KV kv.Store
	// States keeps each check's state in the consistent store: every
	// change of it is a conditional write that only one request wins.
	States    cas.Store
	Now       func() time.Time
	Rand      io.Reader
	Signer    check.Signer
	Merchants merchant.Store
	Notifier  Notifier
	Bank      Bank
	Log       *slog.Logger
	// TTL is how long a new check can be paid.
	TTL time.Duration
	// StatesInKVBefore: checks created before it kept their state in KV
	// (an upgraded deployment); zero for none.
	StatesInKVBefore time.Time
	// Records, when set, remembers what check records decoded to (package
	// jsonmemo): a record is written once, and «Мої чеки», the callbacks
	// and the scheduled pass read the same ones again and again.
	Records *jsonmemo.Memo[check.Check]
}

// DefaultTTL is the life of a check when the configuration sets none.
const DefaultTTL = 30 * time.Minute

// MaxMessageAge is how old an amount message may be when it arrives.
const MaxMessageAge = 10 * time.Minute

// ErrStaleMessage is wrapped in the errs.Invalid that Prepare returns for a
// message older than MaxMessageAge.
var ErrStaleMessage = errors.New("checks: message too old")

// ErrDisabled (in an errs.Forbidden) and ErrNoBank (with the bank's
// errs.Refused) are Prepare's answers for a merchant that cannot take
// payments: disabled by the admin, or without a bank set up.
var (
	ErrDisabled = errors.New("checks: merchant disabled")
	ErrNoBank   = errors.New("checks: merchant has no bank set up")
)

// NewCheck is what an operator asks for.
type NewCheck struct {
	Operator merchant.Operator
	Chat     check.Chat
	Amount   money.Amount // as the operator typed it (money.Parse, without a limit)
	// Identity names the message that asked for the check ("telegram:{chat}:{message id}"),
	// and At is the messenger's time of it: a redelivered message maps to the
	// same check id and key, so it creates nothing new (invariant 4, docs/invariants.md).
	Identity string
	At       time.Time
}

// Prepared is a check ready to be announced: the check, its merchant and
// its signed token. Fresh is false when the same message already created it
// (redelivery): then send nothing.
type Prepared struct {
	Check    check.Check
	Merchant merchant.Merchant
	Token    string
	Fresh    bool
}

// Prepare checks the amount against the merchant's limit and derives the
// check from the message identity. It writes nothing: announce the check to the
// operator, then Save it, so a failed send leaves nothing behind and a
// redelivered message is recognised. A bad amount is an errs.Invalid wrapping
// a *money.ParseError.
func (s *Service) Prepare(ctx context.Context, req NewCheck) (Prepared, error) {
	// The check's id, key and expiry all derive from the message (its
	// identity and its time), so every redelivery maps to the same check.
	created := req.At.UTC().Truncate(time.Second)
	now := s.Now()
	if req.At.IsZero() {
		created = now.UTC().Truncate(time.Second)
	}
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	chk := check.Check{
		ID:       ids.Encode(ids.Derive(s.Signer.Key(), check.IDBytes, "check", req.Identity)),
		Merchant: req.Operator.Merchant,
		Operator: merchant.OperatorID(s.Signer.Key(), req.Operator.Messenger, req.Operator.UserID),
		Amount:   req.Amount,
		Created:  created,
		Expires:  created.Add(ttl),
		Chat:     req.Chat,
		Role:     string(roleOf(req.Operator)),
	}
	// Whether the check exists already is read while the merchant is: on
	// the Worker both are round trips to JavaScript, and the request waits
	// once for the two.
	exists := make(chan error, 1)
	go func() {
		_, err := s.KV.Get(ctx, CheckKey(chk.Ref()))
		exists <- err
	}()
	m, err := s.Merchants.Get(ctx, req.Operator.Merchant)
	existsErr := <-exists
	if err != nil {
		return Prepared{}, fmt.Errorf("prepare check: %w", err)
	}
	// A QR nobody can pay is worse than none: the cashier would hand it out
	// and every buyer would meet an error page.
	if !m.Active() {
		return Prepared{}, errs.Wrap(errs.Forbidden, ErrDisabled, "the merchant is disabled")
	}
	if err := s.Bank.Ready(m); err != nil {
		return Prepared{}, fmt.Errorf("prepare check: %w", errors.Join(ErrNoBank, err))
	}
	if err := money.Within(req.Amount, m.MaxAmount); err != nil {
		return Prepared{}, errs.Wrap(errs.Invalid, err, "bad amount")
	}
	token, err := s.Signer.Encode(chk.Ref())
	if err != nil {
		return Prepared{}, fmt.Errorf("prepare check: %w", err)
	}
	p := Prepared{Check: chk, Merchant: m, Token: token, Fresh: true}
	if existsErr == nil {
		// a redelivery of a message already handled, however late: the
		// check exists and was announced, nothing more to do
		p.Fresh = false
		return p, nil
	} else if !errors.Is(existsErr, kv.ErrNotFound) {
		return Prepared{}, errs.Storage(existsErr)
	}
	// A new message that arrives too late (Viber retries for an hour) makes
	// no check at all: its buyer is gone, and the cashier is asked to retype.
	if created.Before(now.Add(-MaxMessageAge)) {
		return Prepared{}, errs.Wrap(errs.Invalid, ErrStaleMessage, "amount message arrived too late")
	}
	return p, nil
}

// Save stores a prepared check: one KV write.
//
// A failed write is tried again (recordTries in all; the record is the same
// each time): its picture is already out, and a redelivery of the message
// would send it again.
func (s *Service) Save(ctx context.Context, chk check.Check) error {
	var err error
	for range recordTries {
		if err = kv.PutJSON(ctx, s.KV, CheckKey(chk.Ref()), chk, Retention); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errs.Storage(err)
}

// Check reads the check a ref points to (errs.NotFound if it is not
// visible here yet, or never was).
func (s *Service) Check(ctx context.Context, r check.Ref) (check.Check, error) {
	chk, err := s.checkRecord(ctx, CheckKey(r))
	if err != nil {
		return chk, kv.Explain(err, "no such check")
	}
	return chk, nil
}

// checkRecord reads and decodes the check record at key, as kv.GetJSON does,
// through Records.
func (s *Service) checkRecord(ctx context.Context, key string) (check.Check, error) {
	b, err := s.KV.Get(ctx, key)
	if err != nil {
		return check.Check{}, fmt.Errorf("get %s: %w", key, err)
	}
	chk, err := s.Records.Decode(b)
	if err != nil {
		return check.Check{}, fmt.Errorf("decode %s: %w", key, err)
	}
	return chk, nil
}

// Decode checks a check's signed token: errs.NotFound for anything not ours.
func (s *Service) Decode(token string) (check.Ref, error) {
	r, err := s.Signer.Decode(token)
	if err != nil {
		return r, errs.E(errs.NotFound, "no such check")
	}
	return r, nil
}

// roleOf is op's role, an operator from before roles (no role) being an
// owner.
func roleOf(op merchant.Operator) merchant.Role {
	if op.IsOwner() {
		return merchant.Owner
	}
	return merchant.Cashier
}
